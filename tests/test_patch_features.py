"""enrich and --annotate on workbooks full of Excel features: nothing but xlcrm's cells changes.

The books carry what an object-model re-save loses (charts, images, sparklines, x14 formats,
tables, formatted comments, buttons, checkboxes, cached formula values, date-like numbers, rich
text, ``_x0041_`` literals, protection, VBA, custom XML). Every other zip part must come back
byte for byte, every untouched cell's XML unchanged, and the result must open in LibreOffice and
read back (python-calamine) with the values enrich computed.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import python_calamine as pc
from conftest import AS_OF, needs_libreoffice, soffice_convert
from feature_books import FAKE_VBA, build_feature_book, cells_xml, outside_sheet_data, parts

from xlcrm.enrichment import EnrichResult, enrich_workbook
from xlcrm.schema import DATA_SHEETS, HISTORY_SHEET_NAME, RESULTS_SHEET_NAME
from xlcrm.validation import validate_file
from xlcrm.writing.annotate import write_annotated

# Parts that list sheets and styles, which enrich may change (SPEC §5.1); data sheets come on top.
LISTING_PARTS = {
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
    "xl/workbook.xml",
    "xl/styles.xml",
    "docProps/core.xml",
    "docProps/app.xml",
}
DATA_SHEET_PARTS = {f"xl/worksheets/sheet{i}.xml" for i in range(1, 6)}  # the five data sheets, in order


@pytest.fixture(scope="module", params=["xlsx", "xlsm"])
def enriched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path, EnrichResult]:
    folder = tmp_path_factory.mktemp("features")
    source = build_feature_book(folder / f"book.{request.param}", as_of=AS_OF, vba=request.param == "xlsm")
    target = shutil.copy(source, folder / f"enriched.{request.param}")
    result = enrich_workbook(Path(target), AS_OF, backup=False)
    return source, Path(target), result


def test_every_other_part_is_byte_identical(enriched: tuple[Path, Path, EnrichResult]) -> None:
    source, target, result = enriched
    before, after = parts(source), parts(target)
    changed = {n for n in before if before[n] != after.get(n)}
    # 客户信息 already has a person's note: the header notes of appended columns merge into its parts
    merged = {"xl/comments1.xml", "xl/drawings/vmlDrawing1.vml"}
    allowed = LISTING_PARTS | DATA_SHEET_PARTS | merged
    assert changed <= allowed, changed - allowed
    assert list(before) == [n for n in after if n in before]  # same entries, same order
    added = [n for n in after if n not in before]
    assert "xl/worksheets/sheet7.xml" in added  # the hidden history sheet
    assert all(n.startswith(("xl/comments", "xl/drawings/vmlDrawing", "xl/worksheets/")) for n in added), added
    staff_note = re.search(rb"<comment ref=\"B3\".*?</comment>", before["xl/comments1.xml"], re.S)
    assert staff_note and staff_note.group(0) in after["xl/comments1.xml"]
    for kept in (
        "xl/charts/chart1.xml",
        "xl/media/image1.png",
        "xl/comments2.xml",
        "xl/drawings/vmlDrawing2.vml",
        "xl/worksheets/sheet6.xml",
        "xl/sharedStrings.xml",
        "customXml/item1.xml",
        "xl/tables/table1.xml",
    ):
        assert before[kept] == after[kept], kept
    if source.suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == FAKE_VBA
        assert b"macroEnabled" in after["[Content_Types].xml"]


def test_untouched_cells_and_sheet_structure_unchanged(enriched: tuple[Path, Path, EnrichResult]) -> None:
    source, target, result = enriched
    before, after = parts(source), parts(target)
    for i, kind in enumerate(DATA_SHEETS, start=1):
        name = f"xl/worksheets/sheet{i}.xml"
        old, new = cells_xml(before[name]), cells_xml(after[name])
        changed = [ref for ref, xml in old.items() if new.get(ref) != xml]
        filled = {
            result.checked.book.sheets[kind.key].cell(u.field, u.row)
            for u in result.derived.updates()
            if u.sheet == kind.key and not kind.field(u.field).computed
        }
        assert set(changed) <= filled, (kind.name, sorted(set(changed) - filled)[:5])
        # the only element that may appear: the link to the notes of appended column headers
        head, tail = outside_sheet_data(after[name])
        tail = (
            re.sub(rb'<legacyDrawing xmlns:r="[^"]+" r:id="rId\d+"/>', b"", tail)
            if b"<legacyDrawing" not in before[name]
            else tail
        )
        assert outside_sheet_data(before[name]) == (head, tail), kind.name


def _calamine(path: Path) -> dict[str, list[list[Any]]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


def _same(cell: Any, value: Any) -> bool:
    if value is None:
        return cell in ("", None)
    if isinstance(value, datetime):
        return isinstance(cell, datetime) and abs((cell - value).total_seconds()) < 1
    if isinstance(value, date):
        return cell == value or (isinstance(cell, datetime) and cell.date() == value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return isinstance(cell, (int, float)) and abs(cell - value) < 1e-9
    return cell == value


def test_values_read_back_with_calamine(enriched: tuple[Path, Path, EnrichResult]) -> None:
    _, target, result = enriched
    sheets = _calamine(target)
    wrong = []
    for kind in DATA_SHEETS:
        rows = sheets[kind.name]
        headers = rows[0]
        for u in result.derived.updates():
            if u.sheet != kind.key:
                continue
            cell = rows[u.row - 1][headers.index(kind.field(u.field).header)]
            if not _same(cell, u.value):
                wrong.append((kind.name, u.row, u.field, cell, u.value))
    assert not wrong, wrong[:5]
    history = sheets[HISTORY_SHEET_NAME]
    assert history[0][:2] == ["统计日期", "客户编号"] and len(history) == 1 + len(result.derived.snapshots)
    # the person's cells, which a re-save damages, are what they were
    feature = sheets["功能"]
    assert feature[1][2] == 210 and feature[2][2] == "大"  # cached formula values
    assert feature[3][3] == "字面 _x0041_ 不是 A"


def test_second_run_changes_nothing(enriched: tuple[Path, Path, EnrichResult]) -> None:
    _, target, _ = enriched
    before = target.read_bytes()
    again = enrich_workbook(target, AS_OF)
    assert again.changed is False and again.backup is None
    assert target.read_bytes() == before
    assert not list(target.parent.glob("*.bak-*"))


@needs_libreoffice
def test_libreoffice_opens_the_enriched_book(enriched: tuple[Path, Path, EnrichResult], tmp_path: Path) -> None:
    _, target, result = enriched
    pdf = soffice_convert(target, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    back = soffice_convert(target, "xlsx:Calc MS Excel 2007 XML", tmp_path / "x")
    rows = _calamine(back)["客户信息"]
    col = rows[0].index("客户分层")
    tiers = {u.row: u.value for u in result.derived.updates() if u.sheet == "customers" and u.field == "tier"}
    assert tiers and all(rows[r - 1][col] == tier for r, tier in tiers.items())


# --- annotate -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dirty_feature_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from openpyxl.utils import get_column_letter

    folder = tmp_path_factory.mktemp("annotate")
    path = build_feature_book(folder / "book.xlsx", as_of=AS_OF)
    # three problems in 客户信息 (which has a staff comment on B3): two enum errors, a text date
    import zipfile

    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    headers = [f.header for f in DATA_SHEETS[0].fields if not f.computed]
    scale = get_column_letter(headers.index("企业规模") + 1)
    created = get_column_letter(headers.index("建档日期") + 1)
    out = []
    for name, data in entries:
        if name == "xl/worksheets/sheet1.xml":
            data = _set_inline(data, f"{scale}2", "巨型")
            data = _set_inline(data, f"{scale}4", "超大")
            data = _set_inline(data, f"{created}5", "2024/3/1")
        out.append((name, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in out:
            zf.writestr(name, data)
    return path


def _set_inline(sheet: bytes, ref: str, text: str) -> bytes:
    import re

    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
    m = pattern.search(sheet)
    assert m, ref
    style = re.search(rb'\ss="\d+"', m.group(1))
    new = (
        b'<c r="'
        + ref.encode()
        + b'"'
        + (style.group(0) if style else b"")
        + b' t="inlineStr"><is><t>'
        + text.encode()
        + b"</t></is></c>"
    )
    return sheet[: m.start()] + new + sheet[m.end() :]


def test_annotate_keeps_everything_else(dirty_feature_book: Path, tmp_path: Path) -> None:
    report = validate_file(dirty_feature_book, AS_OF)
    assert [(i.cell, i.code) for i in report.issues if i.severity != "info"] == [
        ("E2", "value.enum"),
        ("E4", "value.enum"),
        ("M5", "value.text_date"),
    ]
    out = write_annotated(dirty_feature_book, report, tmp_path / "标注.xlsx")
    before, after = parts(dirty_feature_book), parts(out)
    changed = {n for n in before if before[n] != after.get(n)}
    # 客户信息 (marks), its comments and VML (merged notes), listing parts, 功能 only loses tabSelected
    allowed = LISTING_PARTS | {"xl/worksheets/sheet1.xml", "xl/comments1.xml", "xl/drawings/vmlDrawing1.vml"}
    assert changed <= allowed, changed - allowed
    assert [n for n in after if n not in before] == ["xl/worksheets/sheet7.xml"]
    old, new = cells_xml(before["xl/worksheets/sheet1.xml"]), cells_xml(after["xl/worksheets/sheet1.xml"])
    assert {ref for ref in old if old[ref] != new[ref]} == {"E2", "E4", "M5"}
    assert "张经理" in after["xl/comments1.xml"].decode() and "大客户，年底续约" in after["xl/comments1.xml"].decode()
    sheets = _calamine(out)
    assert list(sheets)[0] == RESULTS_SHEET_NAME


@needs_libreoffice
def test_annotated_feature_book_opens_in_libreoffice(dirty_feature_book: Path, tmp_path: Path) -> None:
    report = validate_file(dirty_feature_book, AS_OF)
    out = write_annotated(dirty_feature_book, report, tmp_path / "annotated.xlsx")
    pdf = soffice_convert(out, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
