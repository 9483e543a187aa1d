"""Cell value coercion (SPEC §3): pure functions from a raw cell value to a typed value.

No Excel engine here: the reader hands over what the engine returned (``datetime``, ``float``,
``int``, ``str``, ``bool`` or ``None``). These run on every cell, so real dates, numbers and
strings take a fast path before any regex or Unicode folding.

Blank input (``None`` or a string of whitespace) always gives a clean ``CoerceResult(None)``;
whether a blank is allowed is the caller's rule (``value.required``).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from ..schema.folding import fold_text

TEXT_DATE = "value.text_date"
TEXT_NUMBER = "value.text_number"
TYPE_ERROR = "value.type"
ENUM_ERROR = "value.enum"

# Excel's 1900 date system counts the fictitious 1900-02-29 as serial 60.
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1900_EARLY = datetime(1899, 12, 31)  # serials 1–59, before the fake leap day
_EPOCH_1904 = datetime(1904, 1, 1)
_MAX_SERIAL = 2958466  # 10000-01-01: past datetime.max
#: Excel's 1900 date system starts on 1900-01-01; a date cell never holds an earlier day.
FIRST_EXCEL_YEAR = 1900
_MS_PER_DAY = 86_400_000


@dataclass(frozen=True, slots=True)
class CoerceResult:
    """A coerced value; ``code``/``severity`` are None on a clean parse.

    Warnings (``value.text_date``, ``value.text_number``) carry the parsed value; errors
    (``value.type``, ``value.enum``) carry ``value=None``.
    """

    value: Any
    code: str | None = None
    severity: str | None = None

    @property
    def ok(self) -> bool:
        """True unless the value could not be used (an error)."""
        return self.severity != "error"


BLANK = CoerceResult(None)
_TYPE = CoerceResult(None, TYPE_ERROR, "error")
_ENUM = CoerceResult(None, ENUM_ERROR, "error")

_DATE_RE = re.compile(
    r"(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})"  # 2024-06-01, 2024/6/1, 2024.6.1
    r"|\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*(日?)"  # 2024年6月1日
    r"|(\d{2})(\d{2}))"  # 20240601
)
_TIME_RE = re.compile(
    r"(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?"  # 14:30, 14:30:00(.123)
    r"|\s*[时点]\s*(\d{1,2})\s*分?(?:\s*(\d{1,2})\s*秒)?)"  # 14时30分(00秒), 14点30
)
_NUMBER_RE = re.compile(r"([+-]?)\s*¥?\s*([+-]?)\s*(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?\s*(元|%)?")


def fold(value: str) -> str:
    """Trim, and NFKC-fold only when needed (most cells are ASCII)."""
    return value.strip() if value.isascii() else fold_text(value)


# ---------------------------------------------------------------- dates


def parse_date(value: object, is_date_format: bool = False, date1904: bool = False) -> CoerceResult:
    """A date field: real dates, serials in date-formatted cells, text dates (warning).

    A datetime (or a text with a time) gives its date. A date cell before 1900-01-01 is not a
    date Excel can hold: the engine makes one only from NaN, so it is ``value.type``.
    """
    if type(value) is datetime:
        return CoerceResult(value.date()) if value.year >= FIRST_EXCEL_YEAR else _TYPE
    if type(value) is date:
        return CoerceResult(value) if value.year >= FIRST_EXCEL_YEAR else _TYPE
    result = parse_datetime(value, is_date_format, date1904)
    if isinstance(result.value, datetime):
        return CoerceResult(result.value.date(), result.code, result.severity)
    return result


def parse_datetime(value: object, is_date_format: bool = False, date1904: bool = False) -> CoerceResult:
    """A datetime field: as ``parse_date``; a date-only value gives midnight.

    Numbers count as Excel serials only when the cell is date-formatted (*is_date_format*); an
    8-digit integer such as 20240601 in a General cell is read like the text ``20240601``.
    """
    if isinstance(value, date) and not isinstance(value, str) and value.year < FIRST_EXCEL_YEAR:
        return _TYPE  # no Excel date cell holds it: the engine's reading of a NaN
    if type(value) is datetime:
        return CoerceResult(value)
    if type(value) is str:
        return _parse_text_datetime(value)
    if value is None:
        return BLANK
    if isinstance(value, datetime):
        return CoerceResult(value)
    if isinstance(value, date):
        return CoerceResult(datetime(value.year, value.month, value.day))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if is_date_format:
            return _from_serial(value, date1904)
        if math.isfinite(value) and value == int(value) and 10_000_000 <= value <= 99_999_999:
            return _parse_text_datetime(str(int(value)))
    return _TYPE


def _from_serial(serial: float, date1904: bool) -> CoerceResult:
    if not (0 < serial < _MAX_SERIAL):  # also refuses NaN
        return _TYPE
    if date1904:
        epoch = _EPOCH_1904
    elif serial >= 61:
        epoch = _EPOCH_1900
    elif serial < 60:
        epoch = _EPOCH_1900_EARLY
    else:
        return _TYPE  # 1900-02-29 does not exist
    return CoerceResult(epoch + timedelta(milliseconds=round(serial * _MS_PER_DAY)))


def _parse_text_datetime(raw: str) -> CoerceResult:
    text = fold(raw)
    if not text:
        return BLANK
    m = _DATE_RE.match(text)
    if m is None:
        return _TYPE
    y, _, mo, d, mo2, d2, day_mark, mo3, d3 = m.groups()
    month, day = (mo or mo2 or mo3), (d or d2 or d3)
    rest = text[m.end() :]
    clock = time()
    if rest:
        if rest[0] in "Tt" or rest[0].isspace():
            rest = rest[1:].lstrip()
        elif not day_mark:  # only 2024年6月1日14时30分 may run the time on directly
            return _TYPE
        t = _TIME_RE.fullmatch(rest)
        if t is None:
            return _TYPE
        hh, mm, ss, frac, mm2, ss2 = t.groups()
        if mm is None and mm2 is None:
            return _TYPE
        try:
            clock = time(int(hh), int(mm or mm2), int(ss or ss2 or 0), int((frac or "0").ljust(6, "0")))
        except ValueError:
            return _TYPE
    try:
        day_value = date(int(y), int(month), int(day))
    except ValueError:
        return _TYPE
    return CoerceResult(datetime.combine(day_value, clock), TEXT_DATE, "warning")


# ---------------------------------------------------------------- numbers


def parse_number(value: object, integer: bool = False) -> CoerceResult:
    """A number field: numeric cells, or text numbers (warning) such as ``¥1,200.00``, ``15%``.

    ``bool`` is not a number. With *integer* a non-integral value is ``value.type`` and an
    integral one is returned as ``int``.
    """
    kind = type(value)
    if kind is int:
        return CoerceResult(value)
    if kind is float:
        return _checked_number(value, integer, None)  # type: ignore[arg-type]
    if kind is str:
        return _parse_text_number(value, integer)  # type: ignore[arg-type]
    if value is None:
        return BLANK
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        return _TYPE
    return _checked_number(value if isinstance(value, int) else float(value), integer, None)


def _checked_number(number: float, integer: bool, code: str | None) -> CoerceResult:
    if isinstance(number, float) and not math.isfinite(number):
        return _TYPE
    if integer or type(number) is int:
        if number != int(number):
            return _TYPE
        number = int(number)
    return CoerceResult(number, code, "warning" if code else None)


def _parse_text_number(raw: str, integer: bool) -> CoerceResult:
    text = fold(raw)
    if not text:
        return BLANK
    m = _NUMBER_RE.fullmatch(text)
    if m is None:
        return _TYPE
    sign1, sign2, whole, frac, unit = m.groups()
    if (sign1 and sign2) or (whole is None and frac is None):
        return _TYPE
    digits = (whole or "0").replace(",", "")
    number: float = float(digits + frac) if frac else int(digits)
    if unit == "%":
        number = float(digits + (frac or "")) / 100
    if "-" in (sign1, sign2):
        number = -number
    return _checked_number(number, integer, TEXT_NUMBER)


# ---------------------------------------------------------------- text and enums


# Whitespace between two CJK characters (U+3000 and NBSP included): a typing habit in Chinese names.
# Control characters are not whitespace here: they are kept as typed.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f"


def fold_person(text: str) -> str:
    """One person's name: whitespace between Chinese characters dropped (``蒋 静`` → ``蒋静``, also
    U+3000), any other run of whitespace made one space (``Li  Lei`` → ``Li Lei``)."""
    return _SPACE_RUN.sub(" ", _CJK_GAP.sub("", text))


def parse_person(value: object) -> CoerceResult:
    """A field naming exactly one person (``Field.person``): text, then ``fold_person``."""
    text = render_text(value)
    return CoerceResult(fold_person(text) if text is not None else None)


def parse_text(value: object) -> CoerceResult:
    """A text field: strings trimmed; integral numbers without ``.0`` (phones typed as numbers);
    dates in ISO form (a datetime at midnight as a plain date)."""
    return CoerceResult(render_text(value))


#: What trimming removes: whitespace, but not the C0 control characters Python also calls
#: whitespace (VT, FF, U+001C–U+001F): a cell's control characters are kept as they are.
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace() and ch not in "\x0b\x0c\x1c\x1d\x1e\x1f")


_SPACE_RUN = re.compile(f"[{re.escape(WHITESPACE)}]+")
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[{re.escape(WHITESPACE)}]+(?=[{_CJK}])")


def render_text(value: object) -> str | None:
    """The text a cell value stands for; None when blank."""
    if isinstance(value, str):
        return value.strip(WHITESPACE) or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # Excel shows 15 significant digits
    if isinstance(value, datetime):
        if value.time() == time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip(WHITESPACE) or None


def enum_key(value: str) -> str:
    """How enum values are compared: NFKC, no whitespace anywhere, case-folded."""
    return "".join(fold_text(value).split()).casefold()


_ENUM_INDEX: dict[tuple[str, ...], dict[str, str]] = {}


def parse_enum(value: object, allowed: Sequence[str]) -> CoerceResult:
    """An enum field: the canonical allowed value, matched after folding, else ``value.enum``.

    Pass *allowed* as a tuple to avoid a conversion per cell.
    """
    options = allowed if type(allowed) is tuple else tuple(allowed)
    index = _ENUM_INDEX.get(options)
    if index is None:
        index = {**{enum_key(a): a for a in options}, **{a: a for a in options}}
        _ENUM_INDEX[options] = index
    if type(value) is str:
        hit = index.get(value)  # exact spelling: no folding at all
        if hit is not None:
            return CoerceResult(hit)
    text = render_text(value)
    if text is None:
        return BLANK
    hit = index.get(text) or index.get(enum_key(text))
    return CoerceResult(hit) if hit is not None else _ENUM
