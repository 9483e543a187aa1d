"""Values between Excel (as xlwings hands them over) and xlcrm, and the block shapes written back.

Excel reads a string assigned to a cell as if it were typed: ``=…`` becomes a formula, ``0012``
a number, ``1月2日`` a date. xlcrm's text must stay text (SPEC §5.1), so such strings get Excel's
text prefix, an apostrophe, which Excel does not keep as part of the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

_TYPED_STARTS = ("=", "+", "-", "@", "'", "#")
_WORDS = {"TRUE", "FALSE", "真", "假"}


def to_excel(value: Any) -> Any:
    """A value ready for ``Range.value``: text Excel would reinterpret gets the text prefix."""
    if (
        isinstance(value, str)
        and value
        and (value.startswith(_TYPED_STARTS) or any(ch.isdigit() for ch in value) or value.strip().upper() in _WORDS)
    ):
        return "'" + value
    return value


def from_excel(value: Any) -> Any:
    """A cell as the reader expects it: blank as ``''`` (the file reader's convention)."""
    return "" if value is None else value


def rectangle(values: Any, top: int, left: int) -> list[list[Any]]:
    """The 2-D block of a used range starting at ``(top, left)`` as rows from A1 (blank padded)."""
    block = values if isinstance(values, list) else [[values]]
    width = left - 1 + max((len(r) for r in block), default=0)
    rows: list[list[Any]] = [[""] * width for _ in range(top - 1)]
    for r in block:
        cells = [""] * (left - 1) + [from_excel(v) for v in r]
        rows.append(cells + [""] * (width - len(cells)))
    return rows


def runs(rows: Iterable[int]) -> Iterator[list[int]]:
    """Consecutive row numbers grouped: 2,3,4,7,8 → [2,3,4], [7,8] (one block write each)."""
    current: list[int] = []
    for row in sorted(rows):
        if current and row != current[-1] + 1:
            yield current
            current = []
        current.append(row)
    if current:
        yield current


def hex_color(rgb: Any) -> str:
    """``(255, 199, 206)`` → ``#FFC7CE``; no fill → ``''``."""
    if not rgb:
        return ""
    if isinstance(rgb, str):
        return rgb.upper()
    r, g, b = rgb
    return f"#{r:02X}{g:02X}{b:02X}"


def rgb_color(text: Any) -> tuple[int, int, int] | None:
    """``#FFC7CE`` → ``(255, 199, 206)``; ``''`` → None (no fill)."""
    text = str(text or "").strip().lstrip("#")
    if len(text) != 6:
        return None
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        return None
