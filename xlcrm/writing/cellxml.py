"""One ``<c>`` element: what an existing cell holds, and the XML of a cell xlcrm writes.

Text is always an inline string (never a formula), numbers are numbers, dates and datetimes are
Excel serial numbers (their look comes from the cell's number format).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .xmlbytes import end_tag, escape_text, find_element, get_attr, start_tag, text_of, unescape_text

_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@lru_cache(maxsize=16384)
def column_letters(index: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def split_ref(ref: str) -> tuple[int, int] | None:
    """'AB12' → (12, 28); None for anything else."""
    m = _REF.fullmatch(ref.replace("$", ""))
    return (int(m.group(2)), column_index(m.group(1))) if m else None


def excel_serial(value: date | datetime, date1904: bool = False) -> float:
    """The Excel serial number of a date or datetime (1900 or 1904 date system)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    delta = value - (_EPOCH_1904 if date1904 else _EPOCH_1900)
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


@dataclass
class CellContext:
    """What rendering and comparing cells needs from the workbook."""

    date1904: bool
    shared_string: Callable[[int], str | None]


def number_text(value: float) -> str:
    """Shortest round-trip text of a number, integers without '.0'."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def comparable(value: Any, ctx: CellContext) -> Any:
    """A value as a cell would hold it: dates as serials, numbers as floats, blanks as None."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (datetime, date)):
        return excel_serial(value, ctx.date1904)
    if isinstance(value, (int, float, Decimal)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    return str(value)


def old_value(cell: bytes, ctx: CellContext) -> tuple[Any, bool]:
    """(comparable value, has formula) of an existing ``<c>`` element."""
    tag = start_tag("c").match(cell)
    if tag is None or tag.group(2):
        return None, False
    inner = cell[tag.end() :]
    has_formula = start_tag("f").search(inner) is not None
    t = get_attr(tag.group(0), "t") or "n"
    if t == "inlineStr":
        found = find_element(inner, "is")
        text = text_of(inner[found[0] : found[1]]) if found else ""
        return (text or None), has_formula
    v_tag = start_tag("v").search(inner)
    if v_tag is None:
        return None, has_formula
    close = inner.find(end_tag(v_tag.group(1), "v"), v_tag.end())
    raw = b"" if v_tag.group(2) or close < 0 else inner[v_tag.end() : close]
    text = unescape_text(raw)
    if t == "s":
        try:
            return shared_or_none(ctx, int(text)), has_formula
        except ValueError:
            return None, has_formula
    if t == "b":
        return text.strip() in ("1", "true"), has_formula
    if t in ("str", "e", "d"):
        return (text or None), has_formula
    try:
        f = float(text)
    except ValueError:
        return (text or None), has_formula
    return (None if math.isnan(f) else f), has_formula


def shared_or_none(ctx: CellContext, index: int) -> str | None:
    text = ctx.shared_string(index)
    return text or None


def same_value(old: Any, new: Any) -> bool:
    """Whether a cell holding ``old`` already shows ``new`` (both as ``comparable`` gives them)."""
    if old is None or new is None:
        return old is None and new is None
    if isinstance(new, bool) or isinstance(old, bool):
        return type(old) is type(new) and old == new
    if isinstance(new, float) and isinstance(old, float):
        return math.isclose(old, new, rel_tol=1e-12, abs_tol=1e-9)
    return type(old) is type(new) and old == new


def render_cell(prefix: bytes, ref: str, style: int, value: Any, ctx: CellContext) -> bytes:
    """The ``<c>`` element for ``value`` (None → an empty cell that keeps its style)."""
    p = _PREFIXES.get(prefix) or prefix.decode()
    s = f' s="{style}"' if style else ""
    kind = type(value)
    # the common types first (a plain str, a finite float, an int, a date): same XML, less work
    if kind is str:
        if value:
            return f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t xml:space="preserve">{escape_text(value)}</{p}t></{p}is></{p}c>'.encode()
        return f'<{p}c r="{ref}"{s}/>'.encode()
    if kind is float and value - value == 0.0:
        return f'<{p}c r="{ref}"{s}><{p}v>{number_text(value)}</{p}v></{p}c>'.encode()
    if kind is date or kind is datetime:
        return f'<{p}c r="{ref}"{s}><{p}v>{number_text(excel_serial(value, ctx.date1904))}</{p}v></{p}c>'.encode()
    if isinstance(value, str) and value != "":
        text = escape_text(value)
        return (
            f'<{p}c r="{ref}"{s} t="inlineStr"><{p}is><{p}t xml:space="preserve">{text}</{p}t></{p}is></{p}c>'
        ).encode()
    if isinstance(value, bool):
        return f'<{p}c r="{ref}"{s} t="b"><{p}v>{int(value)}</{p}v></{p}c>'.encode()
    number = comparable(value, ctx) if value is not None and not isinstance(value, str) else None
    if isinstance(number, float):
        return f'<{p}c r="{ref}"{s}><{p}v>{number_text(number)}</{p}v></{p}c>'.encode()
    if number is not None:  # some other object: write its text
        return render_cell(prefix, ref, style, str(value), ctx)
    return f'<{p}c r="{ref}"{s}/>'.encode()


_PREFIXES: dict[bytes, str] = {b"": ""}


def cell_style(cell: bytes) -> int:
    """The ``s`` of a ``<c>`` element (0 when absent or empty, e.g. ``s=""``)."""
    tag = start_tag("c").match(cell)
    raw = get_attr(tag.group(0), "s") if tag else None
    return int(raw) if raw and raw.strip().isdigit() else 0


class CellCache:
    """Rendered ``<c>`` elements by (style, value): from one row to the next only the address
    differs, so each distinct value is rendered once and later cells are joined from bytes.
    The output is exactly ``render_cell``'s."""

    LIMIT = 1 << 17  # distinct (style, value) pairs kept; the cache starts over beyond that

    def __init__(self, prefix: bytes, ctx: CellContext) -> None:
        self.prefix, self.ctx = prefix, ctx
        self.heads: dict[int, bytes] = {}  # read directly by the patcher's hot loop
        self.tails: dict[tuple[int, type, Any], bytes] = {}  # (only complete, current entries)
        probe = render_cell(prefix, "\0", 0, None, ctx)
        self._open = probe[: probe.index(b"\0")]  # '<c r="' with the sheet's prefix

    def head(self, col: int) -> bytes:
        """``<c r="`` and the column letters of ``col``: the row number follows."""
        found = self.heads.get(col)
        if found is None:
            found = self.heads[col] = self._open + column_letters(col).encode()
        return found

    def tail(self, style: int, value: Any) -> bytes:
        """Everything after the row number of a cell holding ``value`` with ``style``."""
        cls = value.__class__
        if cls is datetime and value.tzinfo is not None:  # equal across zones, rendered apart
            return self._render_tail(style, value)
        key = (style, cls, value)  # by class too: 1 == 1.0 == True render apart
        try:
            found = self.tails.get(key)
        except TypeError:  # an unhashable value
            return self._render_tail(style, value)
        if found is None:
            if len(self.tails) >= self.LIMIT:
                self.tails.clear()
            found = self.tails[key] = self._render_tail(style, value)
        return found

    def _render_tail(self, style: int, value: Any) -> bytes:
        full = render_cell(self.prefix, "\0", style, value, self.ctx)
        return full[full.index(b"\0") + 1 :]

    def cell(self, col: int, row: int | str, style: int, value: Any) -> bytes:
        """The ``<c>`` element of ``value`` at (``row``, ``col``); ``render_cell`` for the same
        address gives the same bytes."""
        return self.head(col) + str(row).encode() + self.tail(style, value)
