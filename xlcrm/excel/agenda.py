"""``今日待办`` in an open workbook: the agenda (SPEC §8) of this workbook as one sheet.

The agenda itself comes from ``xlcrm.agenda``; ``agenda_tables`` is the one place that calls it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from ..derive import Derived, derive
from ..i18n import tr
from ..model import Book
from .cells import to_excel
from .errors import AgendaUnavailableError, StaffSheetNameError
from .live import book_label, check_live, refuse_structural
from .results import HEADER_COLOR
from .write import screen_paused

AGENDA_SHEET_NAME = "今日待办"
AGENDA_TITLE = AGENDA_SHEET_NAME  # the first words of A1 on the sheet xlcrm writes
SECTION_COLOR = (242, 242, 242)

Table = tuple[str, list[str], list[list[Any]]]  # section title, headers, rows


def agenda_tables(derived: Derived, book: Book, config: Config, as_of: date) -> tuple[int, list[Table]]:
    """The look-ahead in days and one table per agenda section (person first in every row)."""
    try:
        from ..agenda import build_agenda
        from ..agenda.render import xlsx_sheets
    except ImportError:
        raise AgendaUnavailableError() from None
    agenda = build_agenda(derived, book, config, as_of, None)
    return agenda.days, [(name, list(headers), [list(r) for r in rows]) for name, headers, rows in xlsx_sheets(agenda)]


def agenda_rows(as_of: date, days: int, tables: list[Table]) -> tuple[list[list[Any]], list[int], list[int]]:
    """The sheet's rows, and the row numbers of section titles and of table headers."""
    rows: list[list[Any]] = [
        [AGENDA_TITLE + tr("（统计日 {d}，向后看 {n} 天）", " (as of {d}, next {n} days)", d=as_of.isoformat(), n=days)]
    ]
    titles: list[int] = []
    headers: list[int] = []
    for title, head, items in tables:
        rows.append([])
        rows.append([tr("【{t}】{n} 项", "[{t}] {n}", t=title, n=len(items))])
        titles.append(len(rows))
        if not items:
            continue
        rows.append(head)
        headers.append(len(rows))
        rows += items
    if not any(items for _, _, items in tables):
        rows += [[], [tr("没有待办事项。", "Nothing to do.")]]
    return rows, titles, headers


def agenda_live(
    xbook: Any, as_of: date, config_file: Path | None = None, overrides: dict[str, Any] | None = None
) -> int:
    """Write the ``今日待办`` sheet (replacing an earlier one) as the first sheet; returns the item count."""
    live, checked = check_live(xbook, as_of, config_file, overrides)
    refuse_structural(checked, book_label(xbook))
    old = live.sheets.get(AGENDA_SHEET_NAME)
    if old is not None and not str(old.range("A1").value or "").startswith(AGENDA_TITLE):
        raise StaffSheetNameError(sheet=AGENDA_SHEET_NAME)  # a staff member's own 今日待办
    derived = checked.derived or derive(checked.book, checked.config, as_of)
    days, tables = agenda_tables(derived, checked.book, checked.config, as_of)
    rows, titles, headers = agenda_rows(as_of, days, tables)
    with screen_paused(xbook):
        _put_agenda_sheet(xbook, live.sheets, rows, titles, headers)
    return sum(len(items) for _, _, items in tables)


def _put_agenda_sheet(
    xbook: Any, sheets: dict[str, Any], rows: list[list[Any]], titles: list[int], headers: list[int]
) -> None:
    """Replace the 今日待办 sheet with ``rows`` as the first sheet, and show it."""
    old = sheets.pop(AGENDA_SHEET_NAME, None)
    if old is not None:
        old.delete()
    xsheet = xbook.sheets.add(AGENDA_SHEET_NAME, before=xbook.sheets[0])
    width = max(len(r) for r in rows)
    xsheet.range((1, 1), (len(rows), width)).value = [
        [to_excel(v) for v in r] + [None] * (width - len(r)) for r in rows
    ]
    xsheet.range((1, 1)).font.bold = True
    for r in titles:
        xsheet.range((r, 1), (r, width)).color = SECTION_COLOR
        xsheet.range((r, 1)).font.bold = True
    for r in headers:
        xsheet.range((r, 1), (r, width)).color = HEADER_COLOR
    xsheet.activate()
