"""Reading real-world workbooks: title rows, aliases, reordered columns, markers, units, formatting."""

from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

from conftest import AS_OF
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from xlcrm.reading import read_book
from xlcrm.schema import DATA_SHEETS
from xlcrm.validation import validate_file

ALIASES = {
    "customers": "客户档案",
    "followups": "客户跟进记录表",
    "feedback": "投诉处理",
    "campaigns": "活动计划",
    "tasks": "执行排期",
}


def staff_style_workbook(path: Path, rows: dict, shuffle_seed: int = 3) -> Path:
    """The data as staff really lay it out: a title and a note above the header, alias sheet names,
    columns in another order, ``*`` and units in headers, an extra column of their own."""
    wb = Workbook()
    wb.remove(wb.active)
    rnd = random.Random(shuffle_seed)
    for kind in DATA_SHEETS:
        ws = wb.create_sheet(ALIASES[kind.key])
        fields = [f for f in kind.fields if not f.computed]
        rnd.shuffle(fields)
        ws.append([f"{kind.name}（2026年）"])
        ws.append(["说明：带 * 的为必填项"])
        ws.append([])
        headers = []
        for f in fields:
            h = f.header
            if f.required:
                h = "*" + h
            if f.type.value == "money" and "(" not in h:
                h += "（元）"
            headers.append(h if rnd.random() < 0.5 else h.replace("日期", " 日期"))
        ws.append(headers + ["内部备注 "])
        for row in rows.get(kind.key, []):
            ws.append([row.get(f.key) for f in fields] + ["自用"])
    wb.save(path)
    return path


def test_staff_style_workbook_validates_clean(tmp_path: Path, blank_rows) -> None:  # type: ignore[no-untyped-def]
    path = staff_style_workbook(tmp_path / "staff.xlsx", blank_rows())
    report = validate_file(path, AS_OF)
    assert report.errors == 0 and report.warnings == 0, report.flatten()
    infos = {(i.code, i.sheet) for i in report.issues}
    assert infos == {("header.unknown", name) for name in ALIASES.values()}
    book = read_book(path).book
    assert book.sheets["followups"].header_row == 4
    assert book.sheets["customers"].rows[0].number == 5


def test_sheet_recognised_by_headers_when_name_is_unknown(tmp_path: Path, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = make_workbook(blank_rows())
    wb = load_workbook(path)
    wb["跟进记录"].title = "Sheet2"
    wb.save(path)
    report = validate_file(path, AS_OF)
    assert report.errors == 0
    assert read_book(path).book.sheets["followups"].name == "Sheet2"


def test_formatted_to_the_last_row_reads_only_data(tmp_path: Path, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = make_workbook(blank_rows())
    wb = load_workbook(path)
    ws = wb["跟进记录"]
    fill = PatternFill("solid", fgColor="FFF2CC")
    for col in (1, 5):
        ws.cell(1_048_576, col).fill = fill  # staff formatted whole columns
    ws.cell(1_048_576, 20).number_format = "@"
    wb.save(path)
    book = read_book(path).book
    assert [r.number for r in book.sheets["followups"].rows] == [2]


def test_blank_rows_inside_data_are_skipped(tmp_path: Path, blank_rows) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    from xlcrm.writing.template import write_standard_workbook

    second = dict(rows["tasks"][0], task="电话回访", due=date(2026, 11, 10), status="进行中", done_on=None)
    rows["tasks"] = [rows["tasks"][0], {}, {}, second]
    path = write_standard_workbook(tmp_path / "gaps.xlsx", rows)
    book = read_book(path).book
    assert [r.number for r in book.sheets["tasks"].rows] == [2, 5]


def test_text_dates_and_numbers_are_read_with_warnings(tmp_path: Path, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0].update(created="2024年3月1日", monetary="¥120,000.00", frequency="３")
    rows["followups"][0].update(at="2026/11/1 10:00")
    path = make_workbook(rows)
    report = validate_file(path, AS_OF)
    assert sorted(report.flatten()) == sorted(
        [
            ("客户信息", "M2", "value.text_date", "warning"),
            ("客户信息", "O2", "value.text_number", "warning"),
            ("客户信息", "P2", "value.text_number", "warning"),
            ("跟进记录", "D2", "value.text_date", "warning"),
        ]
    )
    row = read_book(path).book.sheets["customers"].rows[0]
    assert row.values["created"] == date(2024, 3, 1) and row.values["monetary"] == 120000
    assert read_book(path).book.sheets["followups"].rows[0].values["at"] == datetime(2026, 11, 1, 10, 0)


def test_merged_cells_and_uncached_formulas(tmp_path: Path, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    rows = blank_rows()
    rows["tasks"].append(dict(rows["tasks"][0], task="制作礼品卡"))
    path = make_workbook(rows)
    wb = load_workbook(path)
    wb["活动任务"].merge_cells("D2:D3")  # 负责人 merged over two tasks
    wb["维护活动"]["M2"] = "=L2*1.2"  # 实际值 as a formula openpyxl saves without a cached value
    wb.save(path)
    report = validate_file(path, AS_OF)
    flat = report.flatten()
    assert ("活动任务", "D2", "sheet.merged", "warning") in flat
    assert ("维护活动", "M2", "value.formula_uncached", "warning") in flat
    assert ("活动任务", "D3", "value.required", "error") in flat  # only the top-left cell holds the value


def test_missing_sheet_and_headers(tmp_path: Path, make_workbook, blank_rows) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    path = make_workbook(blank_rows())
    wb = load_workbook(path)
    del wb["活动任务"]
    ws = wb["跟进记录"]
    ws["E1"] = "方式说明"  # 跟进方式 header renamed beyond recognition
    ws["Z1"] = "跟进人"  # duplicate header
    wb.save(path)
    flat = validate_file(path, AS_OF).flatten()
    assert ("活动任务", None, "sheet.missing", "error") in flat
    assert ("跟进记录", None, "header.missing", "error") in flat
    assert ("跟进记录", "Z1", "header.duplicate", "error") in flat
    assert ("跟进记录", "E1", "header.unknown", "info") in flat


def test_enrich_appends_missing_computed_columns_after_staff_columns(tmp_path: Path, blank_rows) -> None:  # type: ignore[no-untyped-def]
    """A staff layout without computed columns: they are appended at the right of the header row,
    styled, commented and formatted; the staff's own extra column stays where it was."""
    from openpyxl import load_workbook

    from xlcrm.enrichment import enrich_workbook
    from xlcrm.schema import CAMPAIGNS

    path = staff_style_workbook(tmp_path / "staff.xlsx", blank_rows())
    enrich_workbook(path, AS_OF, backup=False)
    ws = load_workbook(path)[ALIASES["campaigns"]]
    headers = [c.value for c in ws[4]]
    inputs = len([f for f in CAMPAIGNS.fields if not f.computed])
    assert headers[inputs] == "内部备注 "
    assert headers[inputs + 1 :] == [f.header for f in CAMPAIGNS.computed_fields]
    rate_col = headers.index("目标达成率") + 1
    cell = ws.cell(5, rate_col)
    assert cell.value == 1.2 and cell.number_format == "0.0%"
    assert "xlcrm enrich" in ws.cell(4, rate_col).comment.text
    assert ws.cell(5, inputs + 1).value == "自用"
    assert [c.value for c in ws[1]][0] == "维护活动（2026年）"  # title rows untouched
