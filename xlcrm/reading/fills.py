"""The hidden ``xlcrm_填写`` sheet (SPEC §2 "Cells enrich fills and keeps up to date").

enrich records each value it writes into a fill-when-blank input cell (客户名称 in 跟进记录 /
反馈处理, 目标客户数) as (工作表, 编号, 字段, 值). On reading, a cell that still holds that value
is marked ``refreshable``: enrich recomputes it and validate does not report it as the staff
member's (no ``ref.mismatch`` for a name enrich will refresh). A cell a person has changed since no
longer matches, so it is theirs for good.
"""

from __future__ import annotations

from typing import Any

from ..model import Book, FillRecord, SheetData
from ..schema import DATA_SHEETS, fold_name
from .coerce import render_text

_KINDS = {fold_name(k.name): k for k in DATA_SHEETS}


def read_fills(rows: list[list[Any]]) -> list[FillRecord]:
    """The records of an ``xlcrm_填写`` sheet's cells (header row first); odd rows are skipped."""
    records = []
    for cells in rows[1:]:
        cells = list(cells) + [""] * (4 - len(cells))
        sheet_name, row_id, header = (render_text(c) for c in cells[:3])
        kind = _KINDS.get(fold_name(sheet_name or ""))
        if kind is None or not row_id or not header:
            continue
        field = next((f for f in kind.fields if f.header == header and f.fill_when_blank), None)
        if field is not None and cells[3] not in ("", None):
            records.append(FillRecord(kind.key, row_id, field.key, cells[3]))
    return records


def same_value(a: Any, b: Any) -> bool:
    """Cell values equal as a person would see them (12 = 12.0; text trimmed)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return (render_text(a) or "") == (render_text(b) or "")


def mark_refreshable(book: Book) -> None:
    """Mark every fill-when-blank cell that still holds the value enrich last wrote into it."""
    if not book.fills:
        return
    wanted: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in book.fills:
        wanted.setdefault((rec.sheet, rec.row_id), {})[rec.field] = rec.value
    for sheet in book.sheets.values():
        _mark_sheet(sheet, wanted)


def _mark_sheet(sheet: SheetData, wanted: dict[tuple[str, str], dict[str, Any]]) -> None:
    id_field = sheet.kind.own_id
    if id_field is None:
        return
    for row in sheet.rows:
        row_id = row.values.get(id_field.key)
        fields = wanted.get((sheet.key, str(row_id))) if row_id is not None else None
        if not fields:
            continue
        hits = frozenset(k for k, v in fields.items() if row.values.get(k) is not None and same_value(row.values[k], v))
        if hits:
            row.refreshable = hits
