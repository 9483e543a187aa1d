"""The live-Excel adapter through the xlwings stand-in: the same issues and computed values as the
file commands, marks that replace each other, a 校验结果 sheet, column-block writes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import python_calamine as pc
from conftest import AS_OF
from excel_standin import Book, Formula, open_standin
from test_validate_dirty import DEFECTS

import xlcrm
from xlcrm.excel.live import enrich_live, validate_live
from xlcrm.excel.marks import MARK_COLORS
from xlcrm.schema import DATA_SHEETS, FILLS_SHEET_NAME, HISTORY_SHEET_NAME, MARKS_SHEET_NAME, RESULTS_SHEET_NAME

RED, YELLOW = MARK_COLORS["error"], MARK_COLORS["warning"]


def _dirty_rows(blank_rows: Any, *, duplicates: bool = True) -> dict[str, list[dict[str, Any]]]:
    rows = blank_rows()
    for sheet, row, (_, _, code, _) in DEFECTS:
        if duplicates or code != "value.duplicate":
            rows[sheet].append(row)
    return rows


@pytest.fixture
def dirty(make_workbook: Any, blank_rows: Any) -> Path:
    """The suite's dirty book: one defect per row, every check and code (see test_validate_dirty)."""
    return make_workbook(_dirty_rows(blank_rows), "dirty.xlsx")


@pytest.fixture
def dirty_enrichable(make_workbook: Any, blank_rows: Any) -> Path:
    """The dirty book without duplicate IDs (a structural error enrich refuses): rows with errors."""
    return make_workbook(_dirty_rows(blank_rows, duplicates=False), "dirty2.xlsx")


@pytest.fixture(scope="module")
def sample_file_issues(sample_300: Path) -> list[tuple[Any, ...]]:
    return _issues(xlcrm.validate(sample_300, as_of=AS_OF))


def _issues(report: Any) -> list[tuple[Any, ...]]:
    return [(i.severity, i.code, i.sheet, i.cell, i.field, i.message) for i in report.issues]


# --- validate: the same issues -----------------------------------------------------------------


def test_validate_live_gives_the_file_issues_on_the_dirty_book(dirty: Path) -> None:
    live = validate_live(open_standin(dirty), AS_OF)
    assert _issues(live) == _issues(xlcrm.validate(dirty, as_of=AS_OF))
    assert sorted(live.flatten()) == sorted(t for _, _, t in DEFECTS)


def test_validate_live_gives_the_file_issues_on_the_sample(sample_300: Path, sample_file_issues: Any) -> None:
    book = open_standin(sample_300, windows=True)  # Windows reports sheet visibility as -1 / 0
    assert _issues(validate_live(book, AS_OF)) == sample_file_issues
    assert book.log["value"] == len(book.sheets) - 1  # each sheet read in one call (not the new 校验结果)


def test_merged_cells_in_the_data_area_are_found(make_workbook: Any, blank_rows: Any) -> None:
    rows = blank_rows()
    rows["customers"].append({**rows["customers"][0], "customer_id": "HXKJ20240002", "note": "见上"})
    path = make_workbook(rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["客户信息"].merge_cells("U2:U3")  # 备注 of two customers merged
    wb.save(path)
    book = open_standin(path)
    live = validate_live(book, AS_OF)
    assert ("客户信息", "U2", "sheet.merged", "warning") in live.flatten()
    assert _issues(live) == _issues(xlcrm.validate(path, as_of=AS_OF))


# --- validate: marks and 校验结果 ------------------------------------------------------------------


def test_problem_cells_are_filled_and_noted(dirty: Path) -> None:
    book = open_standin(dirty)
    validate_live(book, AS_OF)
    customers = book.sheet("客户信息")
    assert customers.range("E4").color == RED  # 企业规模 巨型: value.enum
    assert "企业规模" in customers.range("E4").note.text
    assert customers.range("I6").color == YELLOW  # mobile with spaces: warning
    assert customers.range("A14").color is None  # id.pending is a note (info), not marked
    assert customers.range("A14").note is None
    assert book.app.screen_updating is True  # Excel redraws again afterwards


def test_results_sheet_is_first_and_links_every_problem(dirty: Path) -> None:
    book = open_standin(dirty)
    report = validate_live(book, AS_OF)
    assert book.names()[0] == RESULTS_SHEET_NAME and book.sheets.active.name == RESULTS_SHEET_NAME
    results = book.sheet(RESULTS_SHEET_NAME)
    cells = {(r, c): cell.value for (r, c), cell in results.cells.items()}
    links = [v.text for (r, c), v in cells.items() if isinstance(v, Formula)]
    listed = report.errors + report.warnings
    assert len(links) == listed
    assert '=HYPERLINK("#\'客户信息\'!E4","E4")' in links
    assert results.range((2, 4)).color == RED  # errors first, their 级别 cell red
    assert results.range((listed + 1, 4)).color == YELLOW
    assert any(f"共 {report.errors} 个错误" in str(v) for v in cells.values())


def test_a_second_run_replaces_the_marks_and_keeps_the_staffs(dirty: Path) -> None:
    book = open_standin(dirty)
    customers = book.sheet("客户信息")
    customers.range("M9").color = (0, 176, 80)  # a staff member's own green fill on a problem cell
    customers.range("K18").add_note("跟客户确认中")  # and their own note on another
    validate_live(book, AS_OF)
    assert customers.range("M9").color == RED
    assert customers.range("K18").note.text == "跟客户确认中" and customers.range("K18").color == RED
    customers.range("E4").value = "大型"  # fix two problems in Excel, then check again
    customers.range("M9").value = date(2024, 3, 1)
    validate_live(book, AS_OF)
    assert customers.range("E4").color is None and customers.range("E4").note is None
    assert customers.range("M9").color == (0, 176, 80) and customers.range("M9").note is None
    assert customers.range("K18").note.text == "跟客户确认中"
    assert customers.range("E5").color is None  # nothing piled up where there was no problem
    assert customers.range("I5").color == RED and customers.range("I5").note.text.count("联系电话") == 1
    assert book.names().count(RESULTS_SHEET_NAME) == 1
    marks = book.sheet(MARKS_SHEET_NAME)
    assert marks.visible is False
    assert [s.name for s in book.sheets if s.visible][0] == RESULTS_SHEET_NAME


def test_an_annotated_copy_opened_in_excel_keeps_one_set_of_marks(dirty: Path, tmp_path: Path) -> None:
    """validate --annotate (or the inbox's copy), fixed in the copy, then checked live in Excel."""
    from openpyxl import load_workbook

    copy = tmp_path / "dirty.校验标注.xlsx"
    copy.write_bytes(xlcrm.annotate(dirty, as_of=AS_OF))
    wb = load_workbook(copy)
    wb["客户信息"]["E4"] = "大型"  # the 企业规模 error fixed in the copy
    wb.save(copy)
    book = open_standin(copy)
    customers = book.sheet("客户信息")
    assert customers.range("E4").color == RED and customers.range("E4").note.text.startswith("[错误]")  # file marks
    validate_live(book, AS_OF)
    assert customers.range("E4").color is None and customers.range("E4").note is None  # fixed: unmarked
    assert customers.range("I6").color == YELLOW and customers.range("I6").note.text.count("[警告]") == 1
    customers.range("I6").value = "13800138000"  # fixed in Excel too
    validate_live(book, AS_OF)
    assert customers.range("I6").color is None and customers.range("I6").note is None


def test_a_staff_fill_changed_after_marking_is_theirs(dirty: Path) -> None:
    book = open_standin(dirty)
    customers = book.sheet("客户信息")
    validate_live(book, AS_OF)
    customers.range("E4").color = (255, 255, 0)  # the staff member recoloured xlcrm's mark
    customers.range("E4").value = "大型"
    validate_live(book, AS_OF)
    assert customers.range("E4").color == (255, 255, 0)


def test_text_never_becomes_a_formula(make_workbook: Any, blank_rows: Any) -> None:
    rows = blank_rows()
    rows["customers"][0]["scale"] = "=巨型"
    rows["customers"][0]["name"] = '=HYPERLINK("x")'
    book = open_standin(make_workbook(rows))
    report = validate_live(book, AS_OF)
    assert ("客户信息", "E2", "value.enum", "error") in report.flatten()
    results = book.sheet(RESULTS_SHEET_NAME)
    values = [c.value for (r, c_), c in results.cells.items() if c_ != 3]
    assert "=巨型" in values and not any(isinstance(v, Formula) for v in values)


# --- enrich: the same computed values ----------------------------------------------------------


def _norm(value: Any) -> Any:
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 9)
    return value


def _file_grid(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    wb = pc.CalamineWorkbook.from_path(str(path))
    out = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = {
            (r + 1, c + 1): _norm(v) for r, row in enumerate(rows) for c, v in enumerate(row) if _norm(v) is not None
        }
    return out


def _live_grid(book: Book) -> dict[str, dict[tuple[int, int], Any]]:
    return {
        s.name: {rc: _norm(s._value(*rc)) for rc in s.cells if _norm(s._value(*rc)) is not None} for s in book.sheets
    }


def _enrich_both(path: Path, tmp_path: Path) -> tuple[Book, Any, dict[str, dict[tuple[int, int], Any]]]:
    enriched = tmp_path / "enriched.xlsx"
    enriched.write_bytes(xlcrm.enrich(path, as_of=AS_OF).data)
    book = open_standin(path)
    book.sheets._active = book.sheet("跟进记录")  # where the staff member happens to be
    result = enrich_live(book, AS_OF)
    return book, result, _file_grid(enriched)


@pytest.fixture(scope="module")
def sample_enriched(sample_300: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample enriched by the file command and, through the stand-in, twice by the live one."""
    book, result, expected = _enrich_both(sample_300, tmp_path_factory.mktemp("live"))
    first = _live_grid(book)
    writes = list(book.writes)
    enrich_live(book, AS_OF)
    return {"book": book, "result": result, "expected": expected, "first": first, "writes": writes}


def _same_sheets(got: dict[str, Any], expected: dict[str, Any]) -> None:
    for name in [k.name for k in DATA_SHEETS] + [HISTORY_SHEET_NAME, FILLS_SHEET_NAME]:
        assert got[name] == expected[name], name


def test_enrich_live_writes_the_file_commands_values_on_the_sample(sample_enriched: dict[str, Any]) -> None:
    _same_sheets(sample_enriched["first"], sample_enriched["expected"])
    book = sample_enriched["book"]
    assert book.sheet(HISTORY_SHEET_NAME).visible is False and book.sheet(FILLS_SHEET_NAME).visible is False
    result = sample_enriched["result"]
    campaigns = result.checked.book.sheets["campaigns"]
    for key in ("reach_rate", "review_due"):  # percent and date columns show as such in Excel
        cell = book.sheet(campaigns.name).range((campaigns.rows[0].number, campaigns.columns[key]))
        assert cell.number_format == campaigns.kind.field(key).excel_format


def test_enrich_live_writes_the_file_commands_values_on_the_dirty_book(dirty_enrichable: Path, tmp_path: Path) -> None:
    book, result, expected = _enrich_both(dirty_enrichable, tmp_path)
    _same_sheets(_live_grid(book), expected)
    assert result.rejected  # rows with errors: blank computed cells, as in the file


def test_enrich_live_writes_column_blocks(sample_enriched: dict[str, Any]) -> None:
    result = sample_enriched["result"]
    sheet = result.checked.book.sheets["customers"]
    computed_cols = {sheet.columns[f.key] for f in sheet.kind.computed_fields}
    blocks = [w for w in sample_enriched["writes"] if w[0] == "客户信息" and w[2] in computed_cols]
    assert len(blocks) == len(computed_cols)  # one block per computed column, not one write per cell
    assert {shape for *_, shape in blocks} == {(len(sheet.rows), 1)}


def test_enrich_live_twice_changes_nothing_and_keeps_the_active_sheet(sample_enriched: dict[str, Any]) -> None:
    book = sample_enriched["book"]
    assert _live_grid(book) == sample_enriched["first"]
    assert book.sheets.active.name == "跟进记录"
    codes = {i.code for i in validate_live(book, AS_OF).issues}
    assert "computed.stale" not in codes and "id.pending" not in codes


def test_enrich_live_appends_missing_computed_columns_like_the_file(blank_rows: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for kind in DATA_SHEETS:  # a hand-made book with the input columns only
        ws = wb.create_sheet(kind.name)
        fields = [f for f in kind.fields if not f.computed]
        ws.append([f.header for f in fields])
        for row in blank_rows()[kind.key]:
            ws.append([row.get(f.key) for f in fields])
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    book, _, expected = _enrich_both(path, tmp_path)
    got = _live_grid(book)
    for kind in DATA_SHEETS:
        assert got[kind.name] == expected[kind.name], kind.name
        headers = {v for (r, _), v in got[kind.name].items() if r == 1}
        assert {f.header for f in kind.computed_fields} <= headers
    customers = book.sheet("客户信息")
    first_computed = len([f for f in DATA_SHEETS[0].fields if not f.computed]) + 1
    assert customers.range((1, first_computed)).color == (217, 217, 217)
    assert customers.range((1, first_computed)).note is not None


def test_enrich_live_refuses_structural_errors_like_the_file(dirty: Path) -> None:
    from xlcrm.errors import StructureError

    book = open_standin(dirty)
    with pytest.raises(StructureError) as exc:
        enrich_live(book, AS_OF)
    assert "value.duplicate" in exc.value.message and "客户信息!A10" in exc.value.message
    assert book.writes == []


def test_formatting_far_below_the_data_is_not_read(
    make_workbook: Any, blank_rows: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from excel_standin import Cell

    import xlcrm.excel.read as read

    path = make_workbook(blank_rows())
    book = open_standin(path)
    followups = book.sheet("跟进记录")
    cell = Cell()
    cell.color = (255, 255, 0)  # a fill dragged far down the sheet: Excel's used range reaches it
    followups.cells[(60_000, 3)] = cell
    monkeypatch.setattr(read, "TALL_USED_RANGE", 1_000)
    live = read.read_live(book)
    raw = next(r for r in live.raws if r.name == "跟进记录")
    assert len(raw.rows) == 2  # header and the one follow-up, not 60,000 rows
    assert _issues(validate_live(book, AS_OF)) == _issues(xlcrm.validate(path, as_of=AS_OF))


# --- the stand-in itself stays honest ------------------------------------------------------------


def test_the_standin_offers_only_what_xlwings_has() -> None:
    """Every public attribute of the stand-in exists on the xlwings class it stands in for."""
    xw = pytest.importorskip("xlwings")
    import excel_standin as standin

    pairs = [
        (standin.App, xw.App),
        (standin.Book, xw.Book),
        (standin.Sheets, xw.main.Sheets),
        (standin.Sheet, xw.Sheet),
        (standin.Range, xw.Range),
        (standin.Note, xw.main.Note),
        (standin.Font, xw.main.Font),
    ]
    test_only = {
        "sheet",
        "names",
        "log",
        "writes",
        "windows",
        "alerts",
        "cells",
        "merged",
        "widths",
        "r1",
        "c1",
        "r2",
        "c2",
    }
    invented = [
        (mine.__name__, name)
        for mine, theirs in pairs
        for name in set(dir(mine)) | set(getattr(mine, "__slots__", ()))
        if not name.startswith("_") and name not in test_only and not hasattr(theirs, name)
    ]
    assert invented == []


def test_the_standin_refuses_what_it_does_not_mimic(sample_300: Path) -> None:
    sheet = open_standin(sample_300).sheets[0]
    with pytest.raises(AttributeError):
        sheet.range("A1").api  # noqa: B018 - an attribute the adapter must not use
    with pytest.raises(AttributeError):
        sheet.cells_unknown = 1  # type: ignore[attr-defined]


# --- the shipped example workbooks ---------------------------------------------------------------

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "workbooks").glob("*.xlsx"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_workbooks_give_the_same_issues_and_values_live(path: Path, tmp_path: Path) -> None:
    assert _issues(validate_live(open_standin(path), AS_OF)) == _issues(xlcrm.validate(path, as_of=AS_OF))
    book, _, expected = _enrich_both(path, tmp_path)
    _same_sheets(_live_grid(book), expected)
