"""SPEC §2's settled edges, end to end through real .xlsx files and the CLI: date-only completion
times, overflowing dates, values enrich filled (``xlcrm_填写``), config precedence and ``--set``,
extra holidays and the ``calendar.fallback`` issue, one-person names."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import python_calamine as pc
import pytest

AS = "2026-11-20"


def sheet_values(path: Path, sheet: str) -> list[dict[str, object]]:
    """The rows of ``sheet`` as header → value dicts (calamine, as any reader sees the file)."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(sheet).to_python()
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, r)) for r in rows[1:] if any(v != "" for v in r)]


def issues_of(run_cli, path: Path, *extra: str) -> list[dict[str, object]]:
    code, out, err = run_cli("validate", path, "--format", "json", "--as-of", AS, *extra)
    assert code in (0, 1), err
    return json.loads(out)["files"][0]["issues"]


def codes_at(issues: list[dict[str, object]]) -> set[tuple[object, object, object]]:
    return {(i["sheet"], i["cell"], i["code"]) for i in issues}


# --- date-only completion times (SPEC §2) ------------------------------------------------------

def test_date_only_resolution_is_end_of_day(blank_rows, make_workbook, run_cli, tmp_path: Path) -> None:
    rows = blank_rows()
    base = rows["feedback"][0]
    rows["feedback"] = [
        # typed as the day it was received: before, -15 h and 按时解决; now the end of that day
        {**base, "feedback_id": "FK20261102001", "received": datetime(2026, 11, 2, 15, 0),
         "resolved_at": datetime(2026, 11, 2)},
        # typed as the next day: at 00:00 it looked like 4 h (按时); at 24:00 it is 28 h, over the 24 h SLA
        {**base, "feedback_id": "FK20261102002", "received": datetime(2026, 11, 2, 20, 0),
         "resolved_at": date(2026, 11, 3)},
        # a completion instant before its start instant is an order error
        {**base, "feedback_id": "FK20261102003", "received": datetime(2026, 11, 2, 15, 0),
         "resolved_at": datetime(2026, 11, 2, 9, 30)},
    ]
    wb = make_workbook(rows)
    issues = issues_of(run_cli, wb)
    assert {("反馈处理", "N2", "value.date_only"), ("反馈处理", "N3", "value.date_only"),
            ("反馈处理", "N4", "order")} <= codes_at(issues)
    warning = next(i for i in issues if i["cell"] == "N2")
    assert warning["severity"] == "warning" and "24:00" in str(warning["message"])
    out = tmp_path / "out.xlsx"
    assert run_cli("enrich", wb, "-o", out, "--as-of", AS)[0] == 0
    fb = {r["反馈编号"]: r for r in sheet_values(out, "反馈处理")}
    assert fb["FK20261102001"]["处理时长(小时)"] == 9.0
    assert fb["FK20261102001"]["时效状态"] == "按时解决"
    assert fb["FK20261102002"]["处理时长(小时)"] == 28.0
    assert fb["FK20261102002"]["时效状态"] == "超时解决"
    assert fb["FK20261102003"]["时效状态"] == ""  # rejected for the order error: left blank


def test_date_only_record_time_counts_as_end_of_day(blank_rows, make_workbook, run_cli, tmp_path: Path) -> None:
    rows = blank_rows()
    base = rows["followups"][0]
    rows["followups"] = [
        {**base, "followup_id": "GJ20261101001", "at": datetime(2026, 11, 1, 10, 0), "recorded": date(2026, 11, 1)},
        {**base, "followup_id": "GJ20261101002", "at": datetime(2026, 11, 1, 10, 0), "recorded": date(2026, 11, 2)},
    ]
    wb = make_workbook(rows)
    out = tmp_path / "out.xlsx"
    assert run_cli("enrich", wb, "-o", out, "--as-of", AS)[0] == 0
    marks = {r["记录编号"]: r["录入及时"] for r in sheet_values(out, "跟进记录")}
    # same day: provably within 24 h; next day as a plain date: up to 38 h, so not provably in time
    assert marks == {"GJ20261101001": "是", "GJ20261101002": "否"}


# --- values enrich filled stay up to date (SPEC §2, xlcrm_填写) --------------------------------

def _edit(path: Path, sheet: str, header: str, row: int, value: object) -> None:
    """Change one cell as a person would in Excel (openpyxl stands in for Excel here)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[sheet]
    col = next(c.column for c in ws[1] if c.value == header)
    ws.cell(row, col).value = value
    wb.save(path)


def test_filled_name_and_target_count_refresh_until_a_person_changes_them(blank_rows, make_workbook, run_cli) -> None:
    rows = blank_rows()
    rows["customers"].append({**rows["customers"][0], "customer_id": "HXKJ20240002", "name": "宁波海纳贸易有限公司",
                              "phone": "13900139000"})
    rows["followups"][0]["customer_name"] = None
    rows["feedback"][0]["customer_name"] = None
    rows["campaigns"][0]["target_count"] = None
    wb = make_workbook(rows)
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert sheet_values(wb, "跟进记录")[0]["客户名称"] == "杭州华信科技有限公司"
    assert sheet_values(wb, "维护活动")[0]["目标客户数"] == 2
    assert {r["字段"] for r in sheet_values(wb, "xlcrm_填写")} == {"客户名称", "目标客户数"}

    # the customer is renamed and a third customer joins: enrich's own values follow
    _edit(wb, "客户信息", "客户名称", 2, "杭州华信数字科技有限公司")
    from openpyxl import load_workbook

    book = load_workbook(wb)
    ws = book["客户信息"]
    for cell in ws[3]:
        ws.cell(4, cell.column).value = cell.value
    ws.cell(4, 1).value = "HXKJ20240003"
    book.save(wb)
    issues = issues_of(run_cli, wb)
    assert not [i for i in issues if i["code"] == "ref.mismatch"]  # enrich wrote that name and will refresh it
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert sheet_values(wb, "跟进记录")[0]["客户名称"] == "杭州华信数字科技有限公司"
    assert sheet_values(wb, "反馈处理")[0]["客户名称"] == "杭州华信数字科技有限公司"
    assert sheet_values(wb, "维护活动")[0]["目标客户数"] == 3

    # a person types their own values: theirs for good
    _edit(wb, "跟进记录", "客户名称", 2, "华信数字")
    _edit(wb, "维护活动", "目标客户数", 2, 10)
    _edit(wb, "客户信息", "客户名称", 2, "华信集团")
    issues = issues_of(run_cli, wb)
    assert [(i["cell"], i["code"]) for i in issues if i["code"] == "ref.mismatch"] == [("C2", "ref.mismatch")]
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert sheet_values(wb, "跟进记录")[0]["客户名称"] == "华信数字"
    assert sheet_values(wb, "反馈处理")[0]["客户名称"] == "华信集团"  # still enrich's: refreshed
    assert sheet_values(wb, "维护活动")[0]["目标客户数"] == 10
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert sheet_values(wb, "维护活动")[0]["目标客户数"] == 10
