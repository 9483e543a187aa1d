"""Blank own IDs filled by ``enrich`` (SPEC §1): 客户编号, 记录编号, 反馈编号, 活动编号.

Serials continue after the highest existing one of the same prefix and period; an existing ID
(also on a rejected row) is never reused. Rejected rows get nothing. Row order decides, so the
same workbook always gets the same IDs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

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
    from pypinyin import Style, lazy_pinyin  # imported on first use: its dictionary costs ~80 MiB

    joined = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).upper()
    return _NON_LETTERS.sub("", joined)


def strip_company_suffixes(name: str) -> str:
    """``name`` without 股份有限公司 / 有限责任公司 / 有限公司 / 集团 / 公司."""
    for suffix in COMPANY_SUFFIXES:
        name = name.replace(suffix, "")
    return name


def customer_prefix(short_name: str | None, name: str | None) -> str:
    """The letters of a new 客户编号: a Latin 简称 as is, else pinyin initials (≤ 4) of 简称 or 名称."""
    short = (short_name or "").strip()
    if _LATIN_ABBREVIATION.fullmatch(short):
        return short.upper()
    for source in (short, strip_company_suffixes((name or "").strip())):
        letters = _initials(source)[:MAX_PREFIX_LETTERS]
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


def _customer_group(row: Row) -> str | None:
    created = day_of(row.get("created"))
    if created is None:
        return None
    return f"{customer_prefix(row.get('short_name'), row.get('name'))}{created.year:04d}"


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


SCHEMES = (
    _IdScheme(CUSTOMERS.key, own_id_key(CUSTOMERS), CUSTOMER_ID_PATTERN, 4, _customer_group),
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


def _fill_sheet(rows: list[Row], scheme: _IdScheme) -> dict[int, str]:
    """New IDs (Excel row → ID) for the blank own-ID cells of the valid rows of one sheet."""
    groups = {
        row.number: group
        for row in rows
        if not row.rejected and row.values.get(scheme.field) is None and (group := scheme.group_of_row(row)) is not None
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
    """New IDs for blank own-ID cells of valid rows: sheet key → Excel row → ID."""
    result: dict[str, dict[int, str]] = {}
    for scheme in SCHEMES:
        sheet = book.sheets.get(scheme.sheet)
        if sheet is not None:
            result[scheme.sheet] = _fill_sheet(sheet.rows, scheme)
    return result
