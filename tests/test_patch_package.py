"""The package patcher on valid-but-odd packages and on text that Excel stores in special ways."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import python_calamine as pc
import xlsxwriter
from conftest import AS_OF
from feature_books import cells_xml, parts
from openpyxl import load_workbook

from xlcrm.enrichment import enrich_workbook
from xlcrm.errors import CorruptFileError
from xlcrm.schema import CUSTOMERS
from xlcrm.writing.patch_sheet import CellWrite
from xlcrm.writing.patcher import WorkbookPatcher

TRICKY = [
    "字面 _x0041_ 不是 A",
    "响铃\x07转义\x1b与\x01",
    "=1+1",
    "  前后空格  ",
    'a & b < c > d "引号"',
    "回车\r\n换行",
    "表情😀",
]


def _plain_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("数据")
    ws.write("A1", "标题")
    ws.write("B2", 5)
    ws.write("A3", "旧")
    ws.merge_range("D4:E5", "合并")
    wb.add_worksheet("外部").write("A1", "x")
    wb.close()
    return path


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as zf:
        entries = [edit(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)


def test_text_is_always_a_string_and_survives_excel_escapes(tmp_path: Path) -> None:
    path = _plain_book(tmp_path / "book.xlsx")
    patcher = WorkbookPatcher(path)
    for i, text in enumerate(TRICKY, start=1):
        patcher.sheet("数据").put(10 + i, 1, CellWrite(text))
    data, changed = patcher.build()
    assert changed
    out = tmp_path / "out.xlsx"
    out.write_bytes(data)
    ws = load_workbook(out)["数据"]
    got_openpyxl = [ws.cell(10 + i, 1).value for i in range(1, len(TRICKY) + 1)]
    assert got_openpyxl[2] == "=1+1" and ws.cell(13, 1).data_type == "s"  # text, never a formula
    wb = pc.CalamineWorkbook.from_path(str(out))
    rows = wb.get_sheet_by_name("数据").to_python(skip_empty_area=False)
    got = [rows[9 + i][0] for i in range(1, len(TRICKY) + 1)]
    assert got == TRICKY


def test_odd_package(tmp_path: Path) -> None:
    """Workbook part not at xl/workbook.xml, shared strings in another case, s="", 1e999, a
    merged range, and a sheet that is not XML at all (not ours: left byte for byte)."""
    path = _plain_book(tmp_path / "odd.xlsx")

    def edit(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/workbook.xml":
            return "xl/Book1.xml", data
        if name == "xl/_rels/workbook.xml.rels":
            return "xl/_rels/Book1.xml.rels", data
        if name == "xl/sharedStrings.xml":
            return "xl/SharedStrings.xml", data
        if name in ("_rels/.rels", "[Content_Types].xml"):
            return name, data.replace(b"xl/workbook.xml", b"xl/Book1.xml")
        if name == "xl/worksheets/sheet2.xml":
            return name, b'<worksheet><sheetData><row r="1"><c r="A1"'
        if name == "xl/worksheets/sheet1.xml":
            return name, data.replace(
                b'<c r="A3" t="s"><v>1</v></c>', b'<c r="A3" t="s"><v>1</v></c><c r="C3" s=""><v>1e999</v></c>'
            )
        return name, data

    _rewrite(path, edit)
    before = parts(path)
    patcher = WorkbookPatcher(path)
    sheet = patcher.sheet("数据")
    sheet.put(3, 1, CellWrite("新", only_if_blank=True))  # A3 holds a shared string: kept
    sheet.put(3, 3, CellWrite("覆盖"))  # C3 (s="", 1e999) replaced
    sheet.put(4, 4, CellWrite("合并写入"))  # top-left of D4:E5
    sheet.put(7, 2, CellWrite(date(2024, 6, 1), style=lambda s: patcher.styles.derive(s, number_format="yyyy-mm-dd")))
    patcher.put_sheet("xlcrm_历史", [["统计日期", "客户编号"], [date(2024, 1, 2), "A1"]], hidden=True)
    data, changed = patcher.build()
    after = {n: zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()}
    assert after["xl/worksheets/sheet2.xml"] == before["xl/worksheets/sheet2.xml"]
    cells = cells_xml(after["xl/worksheets/sheet1.xml"])
    assert cells["A3"] == b'<c r="A3" t="s"><v>1</v></c>'
    assert "覆盖".encode() in cells["C3"] and b"1e999" not in cells["C3"]
    assert "合并写入".encode() in cells["D4"] and b"<v>45444</v>" in cells["B7"]
    assert b'<mergeCell ref="D4:E5"/>' in after["xl/worksheets/sheet1.xml"]
    assert "xlcrm_历史".encode() in after["xl/Book1.xml"] and b"sheet3.xml" in after["xl/_rels/Book1.xml.rels"]
    assert b"/xl/worksheets/sheet3.xml" in after["[Content_Types].xml"]
    assert b'state="hidden"' in after["xl/Book1.xml"]


def test_patching_an_unreadable_sheet_is_a_clear_error(tmp_path: Path) -> None:
    path = _plain_book(tmp_path / "bad.xlsx")
    _rewrite(path, lambda n, d: (n, b"<worksheet><row>" if n == "xl/worksheets/sheet1.xml" else d))
    patcher = WorkbookPatcher(path)
    patcher.sheet("数据").put(2, 2, CellWrite(1))
    with pytest.raises(CorruptFileError) as err:
        patcher.build()
    assert "不是有效的 .xlsx 文件或文件已损坏" in err.value.message


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(CorruptFileError):
        WorkbookPatcher(path)


def test_computed_columns_stop_at_the_last_column(make_workbook, blank_rows, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = make_workbook(blank_rows())
    wb = load_workbook(path)
    ws = wb[CUSTOMERS.name]
    headers = [c.value for c in ws[1]]
    first_computed = headers.index(CUSTOMERS.computed_fields[0].header) + 1
    ws.delete_cols(first_computed, ws.max_column)
    ws.cell(1, 16383, "备用一")  # room for exactly one appended column (XFD)
    wb.save(path)
    result = enrich_workbook(path, AS_OF, backup=False)
    skipped = CUSTOMERS.computed_fields[1:]
    assert len(result.warnings) == len(skipped) and "XFD" in result.warnings[0]
    assert skipped[0].header in result.warnings[0]
    ws = load_workbook(path)[CUSTOMERS.name]
    assert ws.cell(1, 16384).value == CUSTOMERS.computed_fields[0].header
    code, out, _ = run_cli("enrich", path, "--as-of", AS_OF, "--no-backup")
    assert code == 0 and "XFD" in out and "警告" in out


def test_a_long_sheet_of_xlcrm_is_compressed_at_once_and_reads_back(tmp_path: Path) -> None:
    """xlcrm's own sheets over 1 MB are compressed as soon as they are rendered; the package still
    reads them back as they were rendered, and the written file holds the same XML."""
    path = _plain_book(tmp_path / "book.xlsx")
    patcher = WorkbookPatcher(path)
    rows: list[list[object]] = [["日期", "客户编号", "说明"]]
    rows += [[date(2025, 6, 30), f"KH{i:06d}", f"第 {i} 行 & <说明>"] for i in range(1, 20_001)]
    patcher.put_sheet("xlcrm_长表", rows, hidden=True)
    assert patcher._put_new_sheets()
    entry = patcher.entry("xlcrm_长表")
    assert entry is not None and entry.part is not None
    pending = patcher.pkg.changes[patcher.pkg.entry(entry.part) or entry.part]
    assert not isinstance(pending, bytes)  # compressed, not kept as XML
    xml = patcher.pkg.read(entry.part)
    assert len(xml) > 1 << 20 and xml.count(b"<row ") == len(rows)
    out = io.BytesIO()
    patcher.pkg.write(out)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert zf.read(entry.part.lstrip("/")) == xml
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    got = wb.get_sheet_by_name("xlcrm_长表").to_python()
    assert got[20_000][1:] == ["KH020000", "第 20000 行 & <说明>"]
