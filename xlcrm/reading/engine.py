"""The one place that reads cell values from an .xlsx: python-calamine (fast, Rust).

calamine gives cached formula values, real dates for date-formatted serials, merged ranges and
sheet visibility. It cannot tell a formula without a cached value from a blank cell; that comes
from ``xmlparts.uncached_formula_cells``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc

from ..errors import CorruptFileError, EncryptedFileError


@dataclass
class RawSheet:
    """A sheet's cells as read: ``rows[i][j]`` is Excel row i+1, column j+1 ('' when empty)."""

    name: str
    index: int
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    visible: bool = True


def read_raw_sheets(path: Path) -> list[RawSheet]:
    """Every worksheet of the workbook at ``path`` with its values and merged ranges."""
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise EncryptedFileError(path=str(path)) from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
        raise CorruptFileError(path=str(path), detail=_short(exc)) from exc
    sheets: list[RawSheet] = []
    try:
        for index, meta in enumerate(wb.sheets_metadata):
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
                continue
            sheet = wb.get_sheet_by_index(index)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
            visible = str(meta.visible) == str(pc.SheetVisibleEnum.Visible)
            sheets.append(RawSheet(meta.name, index, rows, merged, visible))
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError) as exc:
        raise CorruptFileError(path=str(path), detail=_short(exc)) from exc
    finally:
        wb.close()
    return sheets


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
