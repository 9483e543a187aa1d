"""Find what openpyxl would drop or damage on saving, before anything is written (SPEC §5 enrich).

openpyxl rewrites the whole package from its object model; parts it does not model are lost:
charts and images (re-read only partially), shapes and text boxes, pivot tables and slicers, VBA in
an .xlsx, form controls, threaded comments, and worksheet extension lists (cross-sheet dropdowns,
sparklines, data bars). The scan reads the zip directory and streams the worksheet parts.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..i18n import tr

_CHUNK = 1 << 20
# Worksheet extension content openpyxl discards (x14 = Excel 2010 extensions).
_SHEET_EXTENSIONS = {
    b"x14:dataValidation": ("跨工作表的下拉列表", "cross-sheet dropdowns"),
    b"sparklineGroup": ("迷你图", "sparklines"),
    b"x14:conditionalFormatting": ("扩展条件格式（数据条/图标集）", "extended conditional formats"),
    b"slicerList": ("切片器", "slicers"),
}
_SHEET_PATTERN = re.compile(b"|".join(re.escape(k) for k in _SHEET_EXTENSIONS) + rb"|<(?:\w+:)?controls[\s>]")


def _label(zh: str, en: str) -> str:
    return tr(zh, en)


def _drawing_content(zf: zipfile.ZipFile, names: list[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        if not (name.startswith("xl/drawings/") and name.endswith(".xml")):
            continue
        data = zf.read(name)
        if b":pic>" in data or b":pic " in data:
            found.add(_label("图片", "images"))
        if b":sp>" in data or b":sp " in data or b":cxnSp" in data:
            found.add(_label("形状/文本框", "shapes or text boxes"))
    return found


def _sheet_extensions(zf: zipfile.ZipFile, names: list[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        tail = b""
        armed = False  # every target lives inside <extLst> or <controls>, which come after the cells
        with zf.open(name) as fh:
            while chunk := fh.read(_CHUNK):
                window = tail + chunk
                armed = armed or b"extLst" in window or b"controls" in window
                if not armed:
                    tail = chunk[-64:]
                    continue
                for m in _SHEET_PATTERN.finditer(window):
                    hit = m.group(0)
                    label = next((v for k, v in _SHEET_EXTENSIONS.items() if k in hit), ("表单控件", "form controls"))
                    found.add(_label(*label))
                tail = chunk[-64:]
    return found


def unpreservable_content(path: Path) -> list[str]:
    """Human names (Chinese by default) of the content a save through openpyxl would lose."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        found: set[str] = set()
        prefixes = {
            "xl/charts/": ("图表", "charts"),
            "xl/pivotTables/": ("数据透视表", "pivot tables"),
            "xl/pivotCache/": ("数据透视表", "pivot tables"),
            "xl/slicers/": ("切片器", "slicers"),
            "xl/timelines/": ("日程表", "timelines"),
            "xl/ctrlProps/": ("表单控件", "form controls"),
            "xl/threadedComments/": ("新版批注（线程批注）", "threaded comments"),
            "xl/embeddings/": ("嵌入对象", "embedded objects"),
        }
        for prefix, label in prefixes.items():
            if any(n.startswith(prefix) for n in names):
                found.add(_label(*label))
        if any(n.startswith("xl/media/") for n in names):
            found.add(_label("图片", "images"))
        if path.suffix.lower() != ".xlsm" and any(n.endswith("vbaProject.bin") for n in names):
            found.add(_label("宏（VBA）", "macros (VBA)"))
        found |= _drawing_content(zf, names)
        found |= _sheet_extensions(zf, names)
    return sorted(found)
