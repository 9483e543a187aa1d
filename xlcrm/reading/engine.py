"""The one place that reads cell values from an .xlsx: python-calamine (fast, Rust).

calamine gives cached formula values, real dates for date-formatted serials, merged ranges and
sheet visibility. It cannot tell a formula without a cached value from a blank cell; that comes
from ``xmlparts.uncached_formula_cells``. calamine looks for the workbook at ``xl/workbook.xml``
only, so a package that keeps its parts elsewhere (or spells them in another case than its
relationships) is handed over as a minimal canonical copy (``package.canonical_copy``).

calamine's messages are English; none of them reaches the user: every failure becomes a Chinese
reason (``calamine_reason``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine as pc

from ..errors import CorruptFileError, EncryptedFileError
from ..i18n import tr
from .package import PackageError, canonical_copy, layout


@dataclass
class RawSheet:
    """A sheet's cells as read: ``rows[i][j]`` is Excel row i+1, column j+1 ('' when empty).

    ``error`` is a Chinese reason when the sheet's part could not be parsed (``rows`` is then
    empty); the caller decides whether that sheet matters.
    """

    name: str
    index: int
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based r1, c1, r2, c2
    visible: bool = True
    error: str | None = None


def calamine_reason(exc: BaseException) -> str:
    """A Chinese reason for a python-calamine failure (its own text is never shown)."""
    if isinstance(exc, getattr(pc, "XmlError", ())):
        return tr("XML 内容无法解析", "unparsable XML")
    if isinstance(exc, getattr(pc, "ZipError", ())) or isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return tr("压缩数据损坏", "damaged zip data")
    text = str(exc).lower()
    if "not found" in text or "missing" in text:
        return tr("缺少必要的组成部分", "a required part is missing")
    return tr("Excel 读取组件无法解析该文件", "the Excel reader cannot parse it")


def _is_panic(exc: BaseException) -> bool:
    # A Rust panic surfaces as pyo3's PanicException, which derives from BaseException.
    return type(exc).__name__ == "PanicException"


def _source(path: Path) -> str | io.BytesIO:
    """What to hand calamine: the path itself, or a canonical copy of an unusual package."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = layout(zf)
            if parts.canonical or parts.workbook_rels is None:
                return str(path)
            return canonical_copy(zf, parts)
    except PackageError as exc:
        raise CorruptFileError(path=str(path), detail=tr(str(exc), "broken package structure")) from None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        raise CorruptFileError(path=str(path), detail=tr("压缩数据损坏", "damaged zip data")) from None


def _open(path: Path) -> Any:
    source = _source(path)
    try:
        if isinstance(source, str):
            return pc.CalamineWorkbook.from_path(source)
        return pc.CalamineWorkbook.from_filelike(source)
    except pc.PasswordError:
        raise EncryptedFileError(path=str(path)) from None
    except BaseException as exc:
        if not isinstance(exc, Exception) and not _is_panic(exc):
            raise
        raise CorruptFileError(path=str(path), detail=calamine_reason(exc)) from None


def read_raw_sheets(path: Path) -> list[RawSheet]:
    """Every worksheet of the workbook at ``path`` with its values and merged ranges.

    An unopenable workbook raises ``CorruptFileError``/``EncryptedFileError``; a single
    unparsable worksheet comes back with ``error`` set instead.
    """
    wb = _open(path)
    sheets: list[RawSheet] = []
    try:
        for index, meta in enumerate(wb.sheets_metadata):
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
                continue
            visible = str(meta.visible) == str(pc.SheetVisibleEnum.Visible)
            try:
                sheet = wb.get_sheet_by_index(index)
                rows = sheet.to_python(skip_empty_area=False)
                merged = [(r1 + 1, c1 + 1, r2 + 1, c2 + 1)
                          for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
            except BaseException as exc:
                if not isinstance(exc, Exception) and not _is_panic(exc):
                    raise
                sheets.append(RawSheet(meta.name, index, [], [], visible, error=calamine_reason(exc)))
                continue
            sheets.append(RawSheet(meta.name, index, rows, merged, visible))
    finally:
        wb.close()
    return sheets
