"""Helpers shared by the checks: the check signature, the blank test, dates and value display."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import Any

from ..config import Config
from ..issues import Issue
from ..model import Book, SheetData
from ..schema import DATA_SHEETS

Check = Callable[[Book, "Config | None", date], Iterable[Issue]]

_DATA_KEYS = tuple(kind.key for kind in DATA_SHEETS)


def data_sheets(book: Book) -> Iterator[SheetData]:
    """The recognised data sheets of ``book`` in schema order (配置 is checked by the config layer)."""
    for key in _DATA_KEYS:
        sheet = book.sheets.get(key)
        if sheet is not None:
            yield sheet


def flagged(sheet: SheetData, key: str, is_bad: Callable[[Any], bool]) -> Iterator[tuple[int, Any]]:
    """``(row number, value)`` for every filled typed value of ``key`` that ``is_bad`` rejects."""
    for row in sheet.rows:
        value = row.values.get(key)
        if value is not None and is_bad(value):
            yield row.number, value


def as_text(value: Any) -> str:
    return value if value.__class__ is str else str(value)


def raw_blank(raw: Any) -> bool:
    """True when the cell as read is empty. A cell whose typed value is None but whose raw value
    is not blank failed coercion and was already reported by the reader."""
    return raw is None or (raw.__class__ is str and not raw.strip())


def day_of(value: date) -> date:
    """The calendar day of a date or datetime."""
    return value.date() if isinstance(value, datetime) else value


def is_before(later: date, earlier: date) -> bool:
    """``later < earlier`` for dates and datetimes mixed. A datetime at exactly midnight is taken
    as a date typed without a time ("that day") and compared by day, as is any date-only value."""
    if isinstance(later, datetime) and isinstance(earlier, datetime) and not _midnight(later):
        return later < earlier
    return day_of(later) < day_of(earlier)


def _midnight(value: datetime) -> bool:
    return not (value.hour or value.minute or value.second or value.microsecond)


def show(value: Any) -> str:
    """A value as a message shows it: dates ISO, datetimes to the minute, 12.0 as 12."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if not _midnight(value) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
