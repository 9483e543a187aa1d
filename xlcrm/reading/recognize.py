"""Which sheet is which kind, where its header row is, and which column is which field (SPEC §1).

Pure: works on lists of cell values, no Excel engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema import ALL_SHEETS, SheetKind, fold_header, fold_name

HEADER_SCAN_ROWS = 20
#: How far below row 20 we look for a header, only to say where it is (never to use it).
LATE_HEADER_SCAN_ROWS = 1000


@dataclass
class HeaderMatch:
    """The header row of a sheet for one kind: 1-based row, field key → 1-based column."""

    row: int
    columns: dict[str, int]
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (field key, column) of repeats
    unknown: list[tuple[str, int]] = field(default_factory=list)  # (header text, column)
    score: int = 0


def _lookup(kind: SheetKind) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in kind.fields:
        for name in f.match_names:
            table.setdefault(name, f.key)
    return table


_LOOKUPS = {k.key: _lookup(k) for k in ALL_SHEETS}


def kind_by_name(sheet_name: str) -> SheetKind | None:
    """The sheet kind whose canonical name or alias matches ``sheet_name`` after folding."""
    folded = fold_name(sheet_name)
    return next((k for k in ALL_SHEETS if folded in k.match_names), None)


def match_header_row(kind: SheetKind, row_number: int, cells: Sequence[Any]) -> HeaderMatch | None:
    """The header mapping if this row's non-empty cells are mostly known headers of ``kind``."""
    lookup = _LOOKUPS[kind.key]
    columns: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    unknown: list[tuple[str, int]] = []
    non_empty = 0
    for col, value in enumerate(cells, start=1):
        if value is None or value == "":
            continue
        text = str(value)
        if not text.strip():
            continue
        non_empty += 1
        key = lookup.get(fold_header(text))
        if key is None:
            unknown.append((text.strip(), col))
        elif key in columns:
            duplicates.append((key, col))
        else:
            columns[key] = col
    known = len(columns) + len(duplicates)
    if known < 2 or known * 2 <= non_empty:
        return None
    return HeaderMatch(row_number, columns, duplicates, unknown, score=len(columns))


def find_header(kind: SheetKind, rows: Sequence[Sequence[Any]]) -> HeaderMatch | None:
    """The first row among the first 20 that is a header row for ``kind``."""
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        match = match_header_row(kind, index + 1, cells)
        if match:
            return match
    return None


def find_late_header(kind: SheetKind, rows: Sequence[Sequence[Any]]) -> int | None:
    """The 1-based row, past the first 20, that looks like ``kind``'s header row (None when none).

    SPEC §1 puts the header among the first 20 rows; this only lets the message say where the
    header really is instead of listing every column as missing.
    """
    for index in range(HEADER_SCAN_ROWS, min(len(rows), LATE_HEADER_SCAN_ROWS)):
        if match_header_row(kind, index + 1, rows[index]):
            return index + 1
    return None


def best_kind_by_headers(
    rows: Sequence[Sequence[Any]], candidates: Sequence[SheetKind]
) -> tuple[SheetKind, HeaderMatch] | None:
    """For a sheet whose name is unknown: the candidate kind its headers match best (≥ 3 columns)."""
    best: tuple[SheetKind, HeaderMatch] | None = None
    for kind in candidates:
        match = find_header(kind, rows)
        if match and match.score >= 3 and (best is None or match.score > best[1].score):
            best = (kind, match)
    return best
