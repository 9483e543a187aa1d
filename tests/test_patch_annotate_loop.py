"""The staff loop on an annotated copy: fix some problems, validate again, annotate again.

A staff member works in the annotated copy (SPEC §5): validate ignores 校验结果 and xlcrm's marks,
and annotating the copy again replaces xlcrm's marks instead of adding a second set, while the
person's own fills and notes stay.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import AS_OF
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from xlcrm.schema import RESULTS_SHEET_NAME
from xlcrm.validation import validate_file
from xlcrm.writing.annotate import ANNOTATE_AUTHOR, write_annotated

RED, YELLOW, STAFF_GREEN = "FFC7CE", "FFEB9C", "C6EFCE"


@pytest.fixture
def dirty(make_workbook, blank_rows) -> Path:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"].append(dict(rows["customers"][0], customer_id="HXKJ20240002", name="宁波海川贸易"))
    rows["customers"][0].update(scale="巨型", created="2024/3/1")  # E2 error, M2 warning
    rows["customers"][1].update(stage="合作中")  # K3 error
    path = make_workbook(rows)
    wb = load_workbook(path)
    ws = wb["客户信息"]
    ws["B2"].comment = Comment("老客户，注意回访时间", "张三")  # a person's own note
    ws["C3"].fill = PatternFill("solid", fgColor=STAFF_GREEN)  # a person's own fill
    wb.save(path)
    return path


def problems(path: Path) -> list[tuple[str | None, str | None, str]]:
    return [(i.sheet, i.cell, i.code) for i in validate_file(path, AS_OF).issues if i.severity != "info"]


def xlcrm_notes(wb: Any) -> dict[str, list[str]]:
    return {
        ws.title: sorted(
            c.coordinate
            for row in ws.iter_rows(max_row=20)
            for c in row
            if c.comment is not None and c.comment.author == ANNOTATE_AUTHOR
        )
        for ws in wb.worksheets
        if ws.title != RESULTS_SHEET_NAME
    }


def fills(wb: Any, *refs: str) -> tuple[str, ...]:
    cells = [wb["客户信息"][ref] for ref in refs]
    return tuple(str(c.fill.fgColor.rgb)[-6:] if c.fill.fill_type == "solid" else "" for c in cells)


def test_fix_validate_and_annotate_again(dirty: Path, tmp_path: Path) -> None:
    assert problems(dirty) == [
        ("客户信息", "E2", "value.enum"),
        ("客户信息", "M2", "value.text_date"),
        ("客户信息", "K3", "value.enum"),
    ]
    copy = write_annotated(dirty, validate_file(dirty, AS_OF), tmp_path / "标注.xlsx")
    wb = load_workbook(copy)
    assert fills(wb, "E2", "M2", "K3") == (RED, YELLOW, RED)
    assert xlcrm_notes(wb)["客户信息"] == ["E2", "K3", "M2"]
    # the copy validates exactly like the original: marks and 校验结果 are not data
    assert problems(copy) == problems(dirty)

    # the person fixes two problems in Excel
    wb["客户信息"]["E2"] = "大型"
    wb["客户信息"]["K3"] = "已合作"
    wb.save(copy)
    assert problems(copy) == [("客户信息", "M2", "value.text_date")]

    again = write_annotated(copy, validate_file(copy, AS_OF), tmp_path / "再次标注.xlsx")
    wb = load_workbook(again)
    assert wb.sheetnames.count(RESULTS_SHEET_NAME) == 1 and wb.sheetnames[0] == RESULTS_SHEET_NAME
    assert fills(wb, "E2", "M2", "K3", "C3") == ("", YELLOW, "", STAFF_GREEN)
    assert xlcrm_notes(wb)["客户信息"] == ["M2"]
    ws = wb["客户信息"]
    assert ws["B2"].comment.text == "老客户，注意回访时间" and ws["B2"].comment.author == "张三"
    results = wb[RESULTS_SHEET_NAME]
    listed = [(r[1].value, r[2].value) for r in results.iter_rows(min_row=2) if isinstance(r[0].value, int)]
    assert listed == [("客户信息", "M2")]


def test_annotating_the_copy_directly_adds_nothing(dirty: Path, tmp_path: Path) -> None:
    first = write_annotated(dirty, validate_file(dirty, AS_OF), tmp_path / "a.xlsx")
    second = write_annotated(first, validate_file(first, AS_OF), tmp_path / "b.xlsx")
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        differing = [n for n in a.namelist() if a.read(n) != b.read(n)]
        xfs = [len(re.findall(rb"<xf ", z.read("xl/styles.xml"))) for z in (a, b)]
    assert set(differing) <= {"docProps/core.xml"}
    assert xfs[0] == xfs[1]
    assert xlcrm_notes(load_workbook(second))["客户信息"] == ["E2", "K3", "M2"]


def test_results_sheet_for_staff(make_workbook, blank_rows, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = blank_rows()
    rows["customers"][0].update(created="2024/3/1")  # a warning first in the sheet …
    rows["followups"][0].update(channel="飞鸽")  # … an error later
    rows["followups"].append(dict(rows["followups"][0], followup_id=None, channel="电话"))
    rows["followups"].append(dict(rows["followups"][0], followup_id=None, channel="电话"))
    path = make_workbook(rows)
    copy = write_annotated(path, validate_file(path, AS_OF), tmp_path / "c.xlsx")
    ws = load_workbook(copy)[RESULTS_SHEET_NAME]
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0][:8] == ["序号", "工作表", "单元格", "级别", "字段", "当前值", "问题说明", "代码"]
    levels = [r[3] for r in values[1:] if r[3]]
    assert levels == sorted(levels, key=["错误", "警告", "提示"].index)  # errors, warnings, then notes
    assert levels.count("提示") == len({(r[1], r[7]) for r in values[1:] if r[3] == "提示"})  # folded
    pending = next(r for r in values if r[7] == "id.pending")
    assert pending[2] == "A3、A4" and pending[4] == "记录编号"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    assert ws["G2"].alignment.wrap_text
    assert ws["C2"].hyperlink is not None and ws["C2"].hyperlink.location == "'跟进记录'!E2"
