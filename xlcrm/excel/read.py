"""Read an open workbook through xlwings into the reader's raw sheets, then the same pipeline.

One value read per sheet (the used range as one 2-D block), never one call per cell: every call
crosses into Excel, which is slow on Windows and slower on macOS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..reading import ReadResult, read_raw_book
from ..reading.engine import RawSheet
from .cells import rectangle

# a used range taller than this (formatting dragged down the sheet) is trimmed to the last value
TALL_USED_RANGE = 20_000
MAX_ROW = 1_048_576
# probing merged cells costs a few calls per merged area; stop after this many calls per sheet
MERGE_PROBE_BUDGET = 400


@dataclass
class LiveRead:
    """A live workbook as read: the library's ``ReadResult``, the raw sheets, and the sheets."""

    result: ReadResult
    raws: list[RawSheet]
    sheets: dict[str, Any] = field(default_factory=dict)  # sheet name → xlwings Sheet


def is_visible(sheet: Any) -> bool:
    """``Sheet.visible`` is a bool on macOS but Excel's -1 / 0 / 2 (very hidden) on Windows."""
    value = sheet.visible
    return value is True or (not isinstance(value, bool) and value == -1)


def _used_block(sheet: Any) -> tuple[Any, int, int, int, int]:
    """The used range and its bounds, trimmed when formatting reaches far below the last value."""
    used = sheet.used_range
    top, left = used.row, used.column
    last = used.last_cell
    bottom, right = last.row, last.column
    if bottom - top + 1 > TALL_USED_RANGE and bottom < MAX_ROW:
        # Ctrl+Up from the empty cell below the used range lands on each column's last value
        bottom = max(sheet.range((bottom + 1, col)).end("up").row for col in range(left, right + 1))
        used = sheet.range((top, left), (max(bottom, top), right))
    return used, top, left, bottom, right


def _merged(sheet: Any, top: int, left: int, bottom: int, right: int) -> list[tuple[int, int, int, int]]:
    """Merged areas inside the block, by halving it: a few calls per area instead of one per cell."""
    found: set[tuple[int, int, int, int]] = set()
    budget = [MERGE_PROBE_BUDGET]

    def probe(r1: int, c1: int, r2: int, c2: int) -> None:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        rng = sheet.range((r1, c1), (r2, c2))
        if rng.merge_cells is False:  # Excel: True all merged, None some, False none
            return
        if r1 == r2 and c1 == c2:
            area = rng.merge_area
            end = area.last_cell
            found.add((area.row, area.column, end.row, end.column))
            return
        if r2 > r1:
            mid = (r1 + r2) // 2
            probe(r1, c1, mid, c2)
            probe(mid + 1, c1, r2, c2)
        else:
            mid = (c1 + c2) // 2
            probe(r1, c1, r2, mid)
            probe(r1, mid + 1, r2, c2)

    probe(top, left, bottom, right)
    return sorted(found)


def raw_sheet(sheet: Any, index: int) -> RawSheet:
    """One sheet's values (as from A1), merged areas and visibility."""
    used, top, left, bottom, right = _used_block(sheet)
    values = used.options(ndim=2).value
    rows = rectangle(values, top, left)
    merged = _merged(sheet, top, left, bottom, right)
    return RawSheet(sheet.name, index, rows, merged, is_visible(sheet))


def read_live(book: Any, path: Path | None = None) -> LiveRead:
    """Read every sheet of the xlwings ``book`` and recognise and type it as a file would be."""
    sheets = {s.name: s for s in book.sheets}
    raws = [raw_sheet(s, i) for i, s in enumerate(sheets.values())]
    # Excel has calculated every formula: there are no formulas without a cached value
    return LiveRead(read_raw_book(raws, {}, path), raws, sheets)
