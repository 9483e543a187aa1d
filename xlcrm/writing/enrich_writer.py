"""Write computed values back into the staff's workbook without harming anything else.

Computed columns are found by header and updated in place, or appended at the right end of the
header row with the schema's header style, comment and number format. Staff-typed cells are only
ever written when blank (IDs and the fill-when-blank fields). Values, never formulas.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Book, CellUpdate, FillRecord, SheetData, Snapshot
from ..schema import FILLS_HEADERS, FILLS_SHEET_NAME, HISTORY_HEADERS, HISTORY_SHEET_NAME, SHEETS_BY_KEY, fold_name
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
            if u.value is None or not (u.refresh or _is_blank(cell.value)):
                continue  # never overwrite what staff typed (only enrich's own earlier value)
        set_value(cell, u.value)
        fmt = formats.get(u.field)
        if u.field in computed and fmt and fmt != "General" and u.value is not None:
            cell.number_format = fmt


def history_rows(existing: list[Snapshot], new: list[Snapshot]) -> list[list[Any]]:
    """The ``xlcrm_历史`` sheet's rows (header first): older snapshots, this as-of's replaced."""
    dates = {s.as_of for s in new}
    kept = [s for s in existing if s.as_of not in dates]
    rows = sorted(kept + new, key=lambda s: (s.as_of, s.customer_id))
    return [list(HISTORY_HEADERS)] + [[s.as_of, s.customer_id, s.tier, s.value_segment, s.churn_risk] for s in rows]


def fill_rows(fills: list[FillRecord]) -> list[list[Any]]:
    """The ``xlcrm_填写`` sheet's rows (header first): sheet name, row ID, field header, value."""
    rows: list[list[Any]] = [list(FILLS_HEADERS)]
    for f in fills:
        kind = SHEETS_BY_KEY[f.sheet]
        rows.append([kind.name, f.row_id, kind.field(f.field).header, f.value])
    return rows


def _write_hidden(wb: Any, name: str, rows: list[list[Any]]) -> None:
    existing = next((n for n in wb.sheetnames if fold_name(n) == fold_name(name)), None)
    if existing is not None:
        del wb[existing]
    ws = wb.create_sheet(name)
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    ws.sheet_state = "hidden"


def load_for_update(path: Path) -> Any:
    """The workbook as openpyxl models it (formulas kept as formulas, VBA kept for .xlsm)."""
    return load_workbook(path, keep_vba=Path(path).suffix.lower() == ".xlsm", rich_text=True)


def apply_to_workbook(wb: Any, book: Book, updates: Iterable[CellUpdate], snapshots: list[Snapshot],
                      fills: list[FillRecord] | None = None) -> None:
    """Put every cell update, this run's snapshots and fill records into the openpyxl workbook ``wb``."""
    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in updates:
        by_sheet.setdefault(u.sheet, []).append(u)
    for key, sheet_updates in by_sheet.items():
        sheet = book.sheets.get(key)
        if sheet is None or not sheet.columns:
            continue
        _write_sheet(wb[sheet.name], sheet, sheet_updates)
    _write_hidden(wb, HISTORY_SHEET_NAME, history_rows(book.history, snapshots))
    _write_hidden(wb, FILLS_SHEET_NAME, fill_rows(fills or []))
    if wb.active is not None and wb.active.sheet_state != "visible":
        wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
