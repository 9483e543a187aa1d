"""Blank own IDs filled by ``enrich`` (SPEC §1): 客户编号, 记录编号, 反馈编号, 活动编号.

Serials continue after the highest existing one of the same prefix and period; an existing ID
(also on a rejected row) is never reused. Rejected rows get nothing. Row order decides, so the
same workbook always gets the same IDs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..forking import ForkedCall
from ..model import Book, Row
from ..schema import SheetKind
from ..schema.sheets import (
    CAMPAIGN_ID_PATTERN,
    CAMPAIGNS,
    CUSTOMER_ID_PATTERN,
    CUSTOMERS,
    FEEDBACK,
    FEEDBACK_ID_PATTERN,
    FOLLOWUP_ID_PATTERN,
    FOLLOWUPS,
)
from .common import day_of

FOLLOWUP_PREFIX = "GJ"
FEEDBACK_PREFIX = "FK"
CAMPAIGN_PREFIX = "HD"
FALLBACK_CUSTOMER_PREFIX = "KH"
MAX_PREFIX_LETTERS = 4
# Legal-form words dropped from a full company name before taking initials, longest first.
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
_LATIN_ABBREVIATION = re.compile(r"[A-Za-z]{2,6}")
_NON_LETTERS = re.compile(r"[^A-Z]")


def _initials(text: str) -> str:
    """Upper-case pinyin initials of ``text``; Latin letters kept, everything else dropped."""
    from pypinyin import Style, lazy_pinyin  # imported on first use: its dictionary costs ~60 MiB

    joined = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).upper()
    return _NON_LETTERS.sub("", joined)


class Initials:
    """``_initials`` of every text, looked up from the moment it is made. pypinyin's dictionary,
    once imported, takes ~60 MiB for the rest of the process; a process that has not imported it
    yet (the command line, a batch) looks the few names of new customers up in a short-lived forked
    child (``forking.ForkedCall``), so that memory is never part of enrich's peak, while the caller
    goes on (``fill_ids`` fills the other sheets' IDs meanwhile). Same answers either way; in the
    process itself when no fork can be made or the child fails."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.wanted = sorted({t for t in texts if t})
        self._helper = (
            ForkedCall.start(lambda: {t: _initials(t) for t in self.wanted})
            if self.wanted and "pypinyin" not in sys.modules
            else None
        )

    def answers(self) -> dict[str, str]:
        found = self._helper.result() if self._helper is not None else None
        if isinstance(found, dict) and len(found) == len(self.wanted):
            return found
        return {t: _initials(t) for t in self.wanted}

    def abandon(self) -> None:
        if self._helper is not None:
            self._helper.abandon()


def _prefix_sources(short_name: str | None, name: str | None) -> tuple[str, str] | None:
    """What the letters of a new 客户编号 come from: None for a Latin 简称 (kept as is), else the
    简称 and the 名称 without its legal-form words, tried in that order."""
    short = (short_name or "").strip()
    if _LATIN_ABBREVIATION.fullmatch(short):
        return None
    return short, strip_company_suffixes((name or "").strip())


def strip_company_suffixes(name: str) -> str:
    """``name`` without 股份有限公司 / 有限责任公司 / 有限公司 / 集团 / 公司."""
    for suffix in COMPANY_SUFFIXES:
        name = name.replace(suffix, "")
    return name


def customer_prefix(short_name: str | None, name: str | None, initials: Callable[[str], str] = _initials) -> str:
    """The letters of a new 客户编号: a Latin 简称 as is, else pinyin initials (≤ 4) of 简称 or 名称.
    ``initials`` looks the initials of a text up (``fill_ids`` passes those found in one go)."""
    sources = _prefix_sources(short_name, name)
    if sources is None:
        return (short_name or "").strip().upper()
    for source in sources:
        letters = (initials(source) if source else "")[:MAX_PREFIX_LETTERS]
        if len(letters) >= 2:
            return letters
    return FALLBACK_CUSTOMER_PREFIX


@dataclass(frozen=True)
class _IdScheme:
    """How one sheet's own ID is built: ``group + serial`` with a fixed-width serial."""

    sheet: str
    field: str
    pattern: str
    serial_width: int
    group_of_row: Callable[[Row], str | None]


def _customer_group(row: Row, initials: Callable[[str], str] = _initials) -> str | None:
    created = day_of(row.get("created"))
    if created is None:
        return None
    return f"{customer_prefix(row.get('short_name'), row.get('name'), initials)}{created.year:04d}"


def _customer_initials(rows: list[Row]) -> Initials:
    """The initials every customer that gets a new ID may need, looked up in one go."""
    field = own_id_key(CUSTOMERS)
    return Initials(
        text
        for row in rows
        if not row.rejected and row.values.get(field) is None and day_of(row.get("created")) is not None
        for text in _prefix_sources(row.get("short_name"), row.get("name")) or ()
    )


def _dated_group(prefix: str, field: str, with_day: bool) -> Callable[[Row], str | None]:
    """prefix + yyyymmdd (or yyyy) of a date field; f-strings, as strftime is slow per row."""

    def group(row: Row) -> str | None:
        d: date | None = day_of(row.values.get(field))
        if d is None:
            return None
        return f"{prefix}{d.year:04d}{d.month:02d}{d.day:02d}" if with_day else f"{prefix}{d.year:04d}"

    return group


def own_id_key(kind: SheetKind) -> str:
    """The field key of a sheet kind's own ID."""
    field = kind.own_id
    assert field is not None, kind.key
    return field.key


CUSTOMER_SCHEME = _IdScheme(CUSTOMERS.key, own_id_key(CUSTOMERS), CUSTOMER_ID_PATTERN, 4, _customer_group)
SCHEMES = (
    CUSTOMER_SCHEME,
    _IdScheme(
        FOLLOWUPS.key, own_id_key(FOLLOWUPS), FOLLOWUP_ID_PATTERN, 3, _dated_group(FOLLOWUP_PREFIX, "at", with_day=True)
    ),
    _IdScheme(
        FEEDBACK.key,
        own_id_key(FEEDBACK),
        FEEDBACK_ID_PATTERN,
        3,
        _dated_group(FEEDBACK_PREFIX, "received", with_day=True),
    ),
    _IdScheme(
        CAMPAIGNS.key,
        own_id_key(CAMPAIGNS),
        CAMPAIGN_ID_PATTERN,
        3,
        _dated_group(CAMPAIGN_PREFIX, "start", with_day=False),
    ),
)


def _fill_sheet(
    rows: list[Row], scheme: _IdScheme, group_of_row: Callable[[Row], str | None] | None = None
) -> dict[int, str]:
    """New IDs (Excel row → ID) for the blank own-ID cells of the valid rows of one sheet."""
    group_of = group_of_row or scheme.group_of_row
    groups = {
        row.number: group
        for row in rows
        if not row.rejected and row.values.get(scheme.field) is None and (group := group_of(row)) is not None
    }
    if not groups:
        return {}  # nothing to fill: skip parsing every existing ID
    wanted = set(groups.values())
    pattern = re.compile(scheme.pattern)
    width = scheme.serial_width
    taken: set[str] = set()
    last_serial: dict[str, int] = {}
    for row in rows:
        value = row.values.get(scheme.field)
        if value is None:
            continue
        text = str(value).strip()
        group = text[:-width]
        if group not in wanted:
            continue  # no new ID starts with it: it can neither collide nor set a serial
        taken.add(text)
        if pattern.match(text):
            last_serial[group] = max(last_serial.get(group, 0), int(text[-width:]))
    filled: dict[int, str] = {}
    for number, group in groups.items():
        serial = last_serial.get(group, 0)
        while True:
            serial += 1
            new_id = f"{group}{serial:0{width}d}"
            if new_id not in taken:
                break
        last_serial[group] = serial
        taken.add(new_id)
        filled[number] = new_id
    return filled


def fill_ids(book: Book) -> dict[str, dict[int, str]]:
    """New IDs for blank own-ID cells of valid rows: sheet key → Excel row → ID. The new
    customers' pinyin initials are looked up first (``Initials``), the other sheets filled
    meanwhile."""
    customers = book.sheets.get(CUSTOMERS.key)
    initials = _customer_initials(customers.rows) if customers is not None else Initials(())
    filled: dict[str, dict[int, str]] = {}
    try:
        for scheme in SCHEMES:
            sheet = book.sheets.get(scheme.sheet)
            if sheet is not None and scheme is not CUSTOMER_SCHEME:
                filled[scheme.sheet] = _fill_sheet(sheet.rows, scheme)
    except BaseException:
        initials.abandon()
        raise
    if customers is not None:
        found = initials.answers()

        def group(row: Row) -> str | None:
            return _customer_group(row, found.__getitem__)

        filled[CUSTOMERS.key] = _fill_sheet(customers.rows, CUSTOMER_SCHEME, group)
    return {s.sheet: filled[s.sheet] for s in SCHEMES if s.sheet in filled}
