"""The neutral in-memory workbook the core works on (no file format, no Excel engine).

Reading produces a ``Book``: per sheet kind, the typed rows with their original Excel row numbers
and the column of every field, so any problem or computed value can be placed at an A1 cell.
Writing consumes ``CellUpdate`` values, one by one or grouped per sheet and row
(``SheetUpdates``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .schema import SheetKind


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, column: int) -> str:
    """The A1 address of a 1-based row and column."""
    return f"{column_letter(column)}{row}"


@dataclass(slots=True)
class Row:
    """One data row. ``values`` are typed by the schema (None when blank or unreadable);
    ``raw`` holds the cells as read that have no typed value (unreadable: not blank, yet None in
    ``values``), so a check can tell them from blanks. ``rejected`` rows have a row-level error
    and are left out of every computation (SPEC §2)."""

    number: int
    values: dict[str, Any]
    raw: Mapping[str, Any] = field(default_factory=dict)
    rejected: bool = False
    # fill-when-blank fields whose cell still holds the value enrich last wrote (``xlcrm_填写``):
    # enrich may refresh them, validate does not hold them against the staff member
    refreshable: frozenset[str] = frozenset()
    # computed cells as found in the file (non-blank only), to tell when they are out of date
    stored: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass
class SheetData:
    """A recognised sheet: its kind, its name in the file, header row, columns and rows."""

    kind: SheetKind
    name: str
    header_row: int
    columns: dict[str, int]
    rows: list[Row] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kind.key

    def cell(self, field_key: str, row_number: int) -> str | None:
        col = self.columns.get(field_key)
        return a1(row_number, col) if col else None

    @property
    def valid_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.rejected]


@dataclass(frozen=True)
class Snapshot:
    """One row of the hidden ``xlcrm_历史`` sheet (SPEC §2.7)."""

    as_of: date
    customer_id: str
    tier: str | None
    value_segment: str | None
    churn_risk: str | None


@dataclass(frozen=True)
class FillRecord:
    """One row of the hidden ``xlcrm_填写`` sheet: enrich wrote ``value`` into the fill-when-blank
    field ``field`` (key) of the row whose own ID is ``row_id`` in sheet kind ``sheet`` (key)."""

    sheet: str
    row_id: str
    field: str
    value: Any


@dataclass
class Book:
    """A whole workbook as the core sees it (no file name or path: the core never sees a file)."""

    sheets: dict[str, SheetData] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    config_rows: list[tuple[str, Any]] = field(default_factory=list)
    history: list[Snapshot] = field(default_factory=list)
    fills: list[FillRecord] = field(default_factory=list)
    # visible sheets named like xlcrm's hidden ones: a staff member's, never to be overwritten
    own_name_clashes: list[str] = field(default_factory=list)

    def rows(self, key: str) -> list[Row]:
        """Valid rows of a sheet kind (empty when the sheet is absent)."""
        sheet = self.sheets.get(key)
        return sheet.valid_rows if sheet else []


@dataclass(frozen=True)
class CellUpdate:
    """A value for the writer: sheet kind, Excel row number, field key, value. An input cell is
    written only when blank, or when ``refresh`` says it still holds enrich's own earlier value."""

    sheet: str
    row: int
    field: str
    value: Any
    refresh: bool = False


@dataclass(frozen=True)
class SheetUpdates:
    """Cell updates grouped for a writer that streams each sheet once: ``values`` maps sheet kind
    → Excel row → field key → value; ``refresh`` holds the (sheet, row, field) input cells that
    still hold enrich's own earlier value. Iterating gives the same ``CellUpdate`` values, in
    ``order`` of sheets, then row, then field."""

    values: Mapping[str, Mapping[int, Mapping[str, Any]]]
    refresh: frozenset[tuple[str, int, str]] | set[tuple[str, int, str]] = frozenset()
    order: tuple[str, ...] = ()

    def sheets(self) -> list[str]:
        """The sheet kinds in writing order (``order`` first, then any others)."""
        rank = {k: i for i, k in enumerate(self.order)}
        return sorted(self.values, key=lambda k: rank.get(k, len(rank)))

    def __iter__(self) -> Iterator[CellUpdate]:
        for sheet in self.sheets():
            rows = self.values[sheet]
            for row in sorted(rows):
                for key, value in rows[row].items():
                    yield CellUpdate(sheet, row, key, value, (sheet, row, key) in self.refresh)
