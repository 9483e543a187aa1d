"""Write the library's cell updates into an open workbook through xlwings.

Column by column: every run of consecutive rows of one column is one block write (and one number
format), never one call per cell. Computed columns the sheet lacks are appended after its last
header, as the file writer does. Staff-typed input cells are written only when blank, or when they
still hold enrich's own earlier value (``CellUpdate.refresh``). No rule is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from ..model import Book, CellUpdate, SheetData
from ..reading.engine import RawSheet
from ..schema import fold_name
from .cells import runs, to_excel
from .read import LiveRead, is_visible

COMPUTED_HEADER_COLOR = (217, 217, 217)  # the file writer's grey for computed headers
DATE_FORMAT = "yyyy-mm-dd"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(raw: RawSheet, row: int, col: int) -> Any:
    if row - 1 < len(raw.rows) and col - 1 < len(raw.rows[row - 1]):
        return raw.rows[row - 1][col - 1]
    return ""


def _last_header_column(raw: RawSheet, header_row: int) -> int:
    cells = raw.rows[header_row - 1] if header_row - 1 < len(raw.rows) else []
    return max((i + 1 for i, v in enumerate(cells) if not _blank(v)), default=0)


def ensure_computed_columns(xsheet: Any, sheet: SheetData, raw: RawSheet) -> dict[str, int]:
    """Field key → column; computed columns the sheet lacks are appended with header, colour and note."""
    from ..writing.palette import header_note  # the same header note as the file writer's

    columns = dict(sheet.columns)
    missing = [f for f in sheet.kind.computed_fields if f.key not in columns]
    if not missing:
        return columns
    first = _last_header_column(raw, sheet.header_row) + 1
    last = first + len(missing) - 1
    headers = xsheet.range((sheet.header_row, first), (sheet.header_row, last))
    headers.value = [[f.header for f in missing]]
    headers.color = COMPUTED_HEADER_COLOR
    headers.font.bold = True
    headers.font.italic = True
    for col, f in enumerate(missing, start=first):
        columns[f.key] = col
        cell = xsheet.range((sheet.header_row, col))
        if cell.note is None:  # a note someone left there stays
            cell.add_note(header_note(f))
        xsheet.range((sheet.header_row, col)).column_width = max(f.width, len(f.header) * 2 + 4)
    return columns


def _sheet_cells(
    sheet: SheetData, raw: RawSheet, columns: dict[str, int], updates: list[CellUpdate]
) -> dict[tuple[int, str], dict[int, Any]]:
    """(column, field) → row → value: every computed cell, and input cells enrich may fill."""
    computed = {f.key for f in sheet.kind.computed_fields}
    cells: dict[tuple[int, str], dict[int, Any]] = {}
    for u in updates:
        col = columns.get(u.field)
        if col is None:
            continue
        if u.field not in computed and (u.value is None or not (u.refresh or _blank(_cell(raw, u.row, col)))):
            continue  # never overwrite what staff typed (only enrich's own earlier value)
        cells.setdefault((col, u.field), {})[u.row] = u.value
    return cells


def write_sheet_updates(xsheet: Any, sheet: SheetData, raw: RawSheet, updates: list[CellUpdate]) -> int:
    """Write one sheet's updates as column blocks; returns the number of cells written."""
    columns = ensure_computed_columns(xsheet, sheet, raw)
    formats = {f.key: f.excel_format for f in sheet.kind.computed_fields}
    written = 0
    for (col, key), values in _sheet_cells(sheet, raw, columns, updates).items():
        fmt = formats.get(key)
        for run in runs(values):
            block = xsheet.range((run[0], col), (run[-1], col))
            block.value = [[to_excel(values[r])] for r in run]
            if fmt and fmt != "General":
                block.number_format = fmt
            written += len(run)
    return written


def write_updates(live: LiveRead, book: Book, updates: Iterable[CellUpdate]) -> int:
    """Every update into its sheet of the open workbook; returns the number of cells written."""
    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in updates:
        by_sheet.setdefault(u.sheet, []).append(u)
    raws = {r.name: r for r in live.raws}
    written = 0
    for key, sheet_updates in by_sheet.items():
        sheet = book.sheets.get(key)
        if sheet is None or not sheet.columns:
            continue
        written += write_sheet_updates(live.sheets[sheet.name], sheet, raws[sheet.name], sheet_updates)
    return written


def find_sheet(live: LiveRead, name: str) -> Any | None:
    """The sheet named ``name`` (after the reader's folding), if the workbook has one."""
    return next((s for n, s in live.sheets.items() if fold_name(n) == fold_name(name)), None)


def put_hidden_sheet(xbook: Any, live: LiveRead, name: str, rows: list[list[Any]]) -> Any:
    """Replace the contents of xlcrm's hidden sheet ``name`` (created hidden at the end if absent)."""
    xsheet = find_sheet(live, name)
    if xsheet is None:
        xsheet = xbook.sheets.add(name, after=list(live.sheets.values())[-1])
        live.sheets[name] = xsheet
    else:
        xsheet.clear_contents()
    if is_visible(xsheet):
        xsheet.visible = False
    width = max(len(r) for r in rows)
    block = [[to_excel(v) for v in r] + [None] * (width - len(r)) for r in rows]
    xsheet.range((1, 1), (len(rows), width)).value = block
    dated = [i for i in range(width) if any(isinstance(r[i], date) for r in rows[1:] if i < len(r))]
    for i in dated:
        if len(rows) > 1:
            xsheet.range((2, i + 1), (len(rows), i + 1)).number_format = DATE_FORMAT
    return xsheet


@contextmanager
def keep_active_sheet(xbook: Any) -> Iterator[None]:
    """Adding a sheet makes it active in Excel; put the staff member back where they were."""
    active = xbook.sheets.active
    try:
        yield
    finally:
        active.activate()


@contextmanager
def screen_paused(xbook: Any) -> Iterator[None]:
    """Excel does not redraw while xlcrm writes (much faster on large books); restored afterwards."""
    app = xbook.app
    before = app.screen_updating
    app.screen_updating = False
    try:
        yield
    finally:
        app.screen_updating = before
