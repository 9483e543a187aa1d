"""Write computed values back into the staff's workbook without harming anything else.

Computed columns are found by header and updated in place, or appended at the right end of the
header row with the schema's header style, comment and number format. Staff-typed cells are only
ever written when blank (IDs and the fill-when-blank fields). Values, never formulas.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Book, CellUpdate, SheetData, Snapshot
from ..schema import HISTORY_HEADERS, HISTORY_SHEET_NAME, fold_name
from .cells import set_value
from .styles import style_header_cell


def _last_header_column(ws: Worksheet, header_row: int) -> int:
    last = 0
    for cell in next(ws.iter_rows(min_row=header_row, max_row=header_row), ()):
        if cell.value not in (None, ""):
            last = cell.column
    return last


def _ensure_computed_columns(ws: Worksheet, sheet: SheetData) -> dict[str, int]:
    """Field key → column, appending missing computed columns after the last header."""
    columns = dict(sheet.columns)
    last = _last_header_column(ws, sheet.header_row)
    for f in sheet.kind.computed_fields:
        if f.key in columns:
            continue
        last += 1
        columns[f.key] = last
        cell = ws.cell(sheet.header_row, last, f.header)
        style_header_cell(cell, f)
        ws.column_dimensions[get_column_letter(last)].width = max(f.width, len(f.header) * 2 + 4)
    return columns


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _write_sheet(ws: Worksheet, sheet: SheetData, updates: list[CellUpdate]) -> None:
    columns = _ensure_computed_columns(ws, sheet)
    kind = sheet.kind
    formats = {f.key: f.excel_format for f in kind.fields}
    computed = {f.key for f in kind.computed_fields}
    for u in updates:
        col = columns.get(u.field)
        if col is None:
            continue
        cell = ws.cell(u.row, col)
        if u.field not in computed:
            if u.value is None or not _is_blank(cell.value):
                continue  # never overwrite what staff typed
        set_value(cell, u.value)
        fmt = formats.get(u.field)
        if u.field in computed and fmt and fmt != "General" and u.value is not None:
            cell.number_format = fmt


def _write_history(wb: Any, existing: list[Snapshot], new: list[Snapshot]) -> None:
    dates = {s.as_of for s in new}
    kept = [s for s in existing if s.as_of not in dates]
    rows = sorted(kept + new, key=lambda s: (s.as_of, s.customer_id))
    name = next((n for n in wb.sheetnames if fold_name(n) == fold_name(HISTORY_SHEET_NAME)), None)
    if name is not None:
        del wb[name]
    ws = wb.create_sheet(HISTORY_SHEET_NAME)
    ws.append(list(HISTORY_HEADERS))
    for s in rows:
        ws.append([s.as_of, s.customer_id, s.tier, s.value_segment, s.churn_risk])
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm-dd"
    ws.sheet_state = "hidden"


def load_for_update(path: Path) -> Any:
    """The workbook as openpyxl models it (formulas kept as formulas, VBA kept for .xlsm)."""
    return load_workbook(path, keep_vba=Path(path).suffix.lower() == ".xlsm", rich_text=True)


def apply_to_workbook(wb: Any, book: Book, updates: Iterable[CellUpdate], snapshots: list[Snapshot]) -> None:
    """Put every cell update and this run's snapshots into the openpyxl workbook ``wb``."""
    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in updates:
        by_sheet.setdefault(u.sheet, []).append(u)
    for key, sheet_updates in by_sheet.items():
        sheet = book.sheets.get(key)
        if sheet is None or not sheet.columns:
            continue
        _write_sheet(wb[sheet.name], sheet, sheet_updates)
    _write_history(wb, book.history, snapshots)
    if wb.active is not None and wb.active.sheet_state != "visible":
        wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
