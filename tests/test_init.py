"""``xlcrm init``: the standard workbook matches the schema and opens in LibreOffice."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import needs_libreoffice, soffice_convert
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from xlcrm.config import defaults_as_rows
from xlcrm.schema import CONFIG, DATA_SHEETS, HELP_SHEET_NAME
from xlcrm.writing.styles import COMPUTED_FILL

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xlcrm.writing.template import write_standard_workbook

    return write_standard_workbook(tmp_path_factory.mktemp("init") / "b.xlsx")


def test_sheets_in_order(blank: Path) -> None:
    wb = load_workbook(blank)
    assert wb.sheetnames == [k.name for k in DATA_SHEETS] + [CONFIG.name, HELP_SHEET_NAME]


@pytest.mark.parametrize("kind", DATA_SHEETS, ids=lambda k: k.key)
def test_headers_comments_and_styles(blank: Path, kind) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(blank)[kind.name]
    headers = [c.value for c in ws[1]]
    assert headers == [f.header for f in kind.fields]
    for col, f in enumerate(kind.fields, start=1):
        cell = ws.cell(1, col)
        assert cell.comment is not None and f.description in cell.comment.text
        if f.computed:
            assert cell.fill.fgColor.rgb.endswith(COMPUTED_FILL.fgColor.rgb[-6:])
            assert "xlcrm enrich" in cell.comment.text
        else:
            assert not cell.fill.fgColor.rgb.endswith(COMPUTED_FILL.fgColor.rgb[-6:])
        if f.required and not f.computed:
            assert cell.font.b and cell.font.color.rgb.endswith("C00000")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")


def _sheet_xml(path: Path, sheet_name: str) -> ElementTree.Element:
    """The worksheet XML of ``sheet_name`` straight from the package (what Excel and LibreOffice read)."""
    with zipfile.ZipFile(path) as zf:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(f"{{{R}}}id") for s in wb.iter(f"{{{NS}}}sheet") if s.get("name") == sheet_name)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        return ElementTree.fromstring(zf.read("xl/" + target.lstrip("/").removeprefix("xl/")))


def _covers(sqref: str, col: str, row: int) -> bool:
    """Whether a data-validation ``sqref`` reaches the cell ``col``/``row``."""
    for rng in sqref.split():
        first, _, last = rng.partition(":")
        (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Z]+)(\d+)", a).groups() for a in (first, last or first))  # type: ignore[union-attr]
        cols = range(column_index_from_string(c1), column_index_from_string(c2) + 1)
        if column_index_from_string(col) in cols and int(r1) <= row <= int(r2):
            return True
    return False


@pytest.mark.parametrize("kind", DATA_SHEETS, ids=lambda k: k.key)
def test_dropdowns_equal_schema_enums_and_cover_whole_columns(blank: Path, kind) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, tuple[str, ...]] = {}
    for dv in _sheet_xml(blank, kind.name).iter(f"{{{NS}}}dataValidation"):
        assert dv.get("type") == "list"
        values = tuple(dv.findtext(f"{{{NS}}}formula1").strip('"').split(","))  # type: ignore[union-attr]
        sqref = dv.get("sqref") or ""
        col = re.match(r"[A-Z]+", sqref).group()  # type: ignore[union-attr]
        assert sqref == f"{col}2:{col}1048576"  # one range per column, first data row to Excel's last row
        assert _covers(sqref, col, 2000) and _covers(sqref, col, 1048576) and not _covers(sqref, col, 1)
        assert col not in found
        found[col] = values
    expected = {get_column_letter(i): f.enum for i, f in enumerate(kind.fields, start=1) if f.enum and not f.computed}
    assert found == expected


def test_typed_columns_are_formatted_as_columns_not_rows(blank: Path) -> None:
    ws = load_workbook(blank)["跟进记录"]
    headers = [c.value for c in ws[1]]
    at = get_column_letter(headers.index("跟进时间") + 1)
    plan = get_column_letter(headers.index("下一步计划日期") + 1)
    assert ws.column_dimensions[at].number_format == "yyyy-mm-dd hh:mm"
    assert ws.column_dimensions[plan].number_format == "yyyy-mm-dd"
    for kind in DATA_SHEETS:
        # no pre-formatted empty rows: a blank data sheet holds its header row and nothing else
        assert [r.get("r") for r in _sheet_xml(blank, kind.name).iter(f"{{{NS}}}row")] == ["1"]


def test_blank_workbook_is_small(blank: Path) -> None:
    assert blank.stat().st_size < 100_000


def test_sample_cells_carry_their_column_format(make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    ws = load_workbook(make_workbook(blank_rows()))["跟进记录"]
    headers = [c.value for c in ws[1]]
    assert ws.cell(2, headers.index("跟进时间") + 1).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(2, headers.index("下一步计划日期") + 1).number_format == "yyyy-mm-dd"


@needs_libreoffice
def test_libreoffice_formats_a_new_cell_by_its_column(blank: Path, tmp_path: Path) -> None:
    """A date serial typed into row 6000 (a cell without a style of its own) is shown as a date."""
    ws = load_workbook(blank)["客户信息"]
    col = get_column_letter([c.value for c in ws[1]].index("建档日期") + 1)
    typed = tmp_path / "typed.xlsx"
    with zipfile.ZipFile(blank) as zin, zipfile.ZipFile(typed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # 客户信息, the first sheet
                cells = f'<row r="6000"><c r="A6000"><v>46346</v></c><c r="{col}6000"><v>46346</v></c></row>'
                data = data.replace(b"</sheetData>", cells.encode() + b"</sheetData>")
            zout.writestr(info, data)
    csv = soffice_convert(typed, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    last = csv.read_text(encoding="utf-8").splitlines()[-1].split(",")
    # 客户编号 (column A) is a text column, so the number stays as typed; 建档日期 shows a date
    assert last[0] == "46346"
    assert last[column_index_from_string(col) - 1] == "2026-11-20"


def test_config_and_help_sheets(blank: Path) -> None:
    wb = load_workbook(blank)
    rows = [tuple(c.value for c in r) for r in wb[CONFIG.name].iter_rows(min_row=2)]
    # SPEC §1.6: 值 is empty (a filled 值 is always an explicit choice), the default is shown beside it
    assert [(k, v, d) for k, v, d, _ in rows] == [(k, None, d if d != "" else None) for k, d, _ in defaults_as_rows()]
    text = "\n".join(str(r[0].value) for r in wb[HELP_SHEET_NAME].iter_rows() if r[0].value)
    for word in ("validate", "enrich", "report", *[k.name for k in DATA_SHEETS]):
        assert word in text


def test_refuses_to_overwrite_without_force(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "b.xlsx"
    assert run_cli("init", target)[0] == 0
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    code, out, err = run_cli("init", target)
    assert code == 2 and "已存在" in err and "--force" in err and "Traceback" not in err
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert run_cli("init", target, "--force")[0] == 0


@needs_libreoffice
def test_opens_in_libreoffice(blank: Path, tmp_path: Path) -> None:
    pdf = soffice_convert(blank, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000
