"""SPEC §2's settled edges, end to end through real .xlsx files and the CLI: date-only completion
times, overflowing dates, values enrich filled (``xlcrm_填写``), config precedence and ``--set``,
extra holidays and the ``calendar.fallback`` issue, one-person names."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import python_calamine as pc

AS = "2026-11-20"


def sheet_values(path: Path, sheet: str) -> list[dict[str, object]]:
    """The rows of ``sheet`` as header → value dicts (calamine, as any reader sees the file)."""
    wb = pc.CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name(sheet).to_python()
    headers = [str(h) for h in rows[0]]
    return [dict(zip(headers, r, strict=False)) for r in rows[1:] if any(v != "" for v in r)]


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
        {
            **base,
            "feedback_id": "FK20261102001",
            "received": datetime(2026, 11, 2, 15, 0),
            "resolved_at": datetime(2026, 11, 2),
        },
        # typed as the next day: at 00:00 it looked like 4 h (按时); at 24:00 it is 28 h, over the 24 h SLA
        {
            **base,
            "feedback_id": "FK20261102002",
            "received": datetime(2026, 11, 2, 20, 0),
            "resolved_at": date(2026, 11, 3),
        },
        # a completion instant before its start instant is an order error
        {
            **base,
            "feedback_id": "FK20261102003",
            "received": datetime(2026, 11, 2, 15, 0),
            "resolved_at": datetime(2026, 11, 2, 9, 30),
        },
    ]
    wb = make_workbook(rows)
    issues = issues_of(run_cli, wb)
    assert {
        ("反馈处理", "N2", "value.date_only"),
        ("反馈处理", "N3", "value.date_only"),
        ("反馈处理", "N4", "order"),
    } <= codes_at(issues)
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
    rows["customers"].append(
        {**rows["customers"][0], "customer_id": "HXKJ20240002", "name": "宁波海纳贸易有限公司", "phone": "13900139000"}
    )
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


# --- dates beyond the calendar ------------------------------------------------------------------


def test_end_date_9999_is_a_range_error_not_a_crash(blank_rows, make_workbook, run_cli, tmp_path: Path) -> None:
    rows = blank_rows()
    rows["campaigns"][0]["end"] = date(9999, 12, 31)
    rows["tasks"][0]["due"] = date(9999, 12, 30)
    rows["tasks"][0]["status"] = "进行中"
    rows["tasks"][0]["done_on"] = None
    wb = make_workbook(rows)
    issues = issues_of(run_cli, wb)
    assert {("维护活动", "G2", "value.range"), ("活动任务", "F2", "value.range")} <= codes_at(issues)
    code, out, err = run_cli("enrich", wb, "-o", tmp_path / "out.xlsx", "--as-of", AS)
    assert code == 0 and "意外错误" not in err, err
    camp = sheet_values(tmp_path / "out.xlsx", "维护活动")[0]
    assert camp["复盘截止日期"] == ""  # the row is left out, not computed into an overflow


# --- working-day calendar: extra days and the fallback issue (SPEC §2.10) ------------------------


def first_uncovered_year() -> int:
    """The first year after today's that the installed calendar package has no data for."""
    import chinese_calendar

    year = date.today().year
    while True:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


def _campaign_ending(rows: dict, end: date) -> dict:
    rows["campaigns"][0].update(start=end.replace(month=1, day=5), end=end, reviewed_on=None)
    rows["tasks"][0].update(
        start=end.replace(month=1, day=5), due=end.replace(month=1, day=20), done_on=end.replace(month=1, day=19)
    )
    return rows


def test_calendar_fallback_is_an_issue_and_extra_days_cover_the_year(
    blank_rows, make_workbook, run_cli, tmp_path: Path
) -> None:
    year = first_uncovered_year()
    friday = next(date(year, 3, d) for d in range(1, 8) if date(year, 3, d).weekday() == 4)
    wb = make_workbook(_campaign_ending(blank_rows(), friday))
    as_of = f"{year}-03-31"
    code, out, err = run_cli("validate", wb, "--format", "json", "--as-of", as_of)
    fallback = [i for i in json.loads(out)["files"][0]["issues"] if i["code"] == "calendar.fallback"]
    assert len(fallback) == 1 and fallback[0]["severity"] == "warning" and fallback[0]["cell"] is None
    assert str(year) in fallback[0]["message"]
    code, out, err = run_cli("validate", wb, "--as-of", as_of)
    assert "calendar.fallback" in out

    out_path = tmp_path / "guessed.xlsx"
    code, out, err = run_cli("enrich", wb, "-o", out_path, "--as-of", as_of)
    assert code == 0 and str(year) in out and "extra_holidays" in out
    monday = friday.replace(day=friday.day + 3)
    # Monday–Friday guessed: Mon, Tue, Wed after the Friday end
    assert sheet_values(out_path, "维护活动")[0]["复盘截止日期"] == monday.replace(day=monday.day + 2)

    # the team enters the official schedule: that Monday is a holiday, the Saturday before is worked
    (tmp_path / "xlcrm.toml").write_text(
        f'extra_holidays = ["{monday.isoformat()}"]\nextra_workdays = [{(friday.replace(day=friday.day + 1)).isoformat()}]\n',
        encoding="utf-8",
    )
    moved = tmp_path / "wb.xlsx"
    code, out, err = run_cli("validate", moved, "--format", "json", "--as-of", as_of)
    assert not [i for i in json.loads(out)["files"][0]["issues"] if i["code"] == "calendar.fallback"]
    out_path = tmp_path / "official.xlsx"
    assert run_cli("enrich", moved, "-o", out_path, "--as-of", as_of)[0] == 0
    # Saturday (worked), then Tuesday and Wednesday: the holiday Monday is skipped
    assert sheet_values(out_path, "维护活动")[0]["复盘截止日期"] == monday.replace(day=monday.day + 2)
    (tmp_path / "xlcrm.toml").write_text(f'extra_holidays = ["{monday.isoformat()}"]\n', encoding="utf-8")
    assert run_cli("enrich", moved, "-o", out_path, "--as-of", as_of)[0] == 0
    assert sheet_values(out_path, "维护活动")[0]["复盘截止日期"] == monday.replace(day=monday.day + 3)


# --- configuration precedence (SPEC §1.6, §4) ----------------------------------------------------


def test_filled_config_value_beats_toml_and_blank_value_does_not(
    blank_rows, make_workbook, run_cli, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    rows = blank_rows()
    wb = make_workbook(rows)
    (tmp_path / "xlcrm.toml").write_text("[cadence_days]\nA = 5\n", encoding="utf-8")
    out = tmp_path / "a.xlsx"
    assert run_cli("enrich", wb, "-o", out, "--as-of", AS)[0] == 0
    customer = sheet_values(out, "客户信息")[0]
    assert customer["客户分层"] == "A" and customer["跟进周期(天)"] == 5  # 配置 值 blank: the toml counts

    book = load_workbook(wb)
    ws = book["配置"]
    assert [c.value for c in ws[1]][:3] == ["参数", "值", "默认值"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "cadence_days.A")
    assert row[1].value is None and row[2].value == 7
    row[1].value = 7  # the staff member chose the default explicitly: it wins over the toml
    book.save(wb)
    assert run_cli("enrich", wb, "-o", out, "--as-of", AS)[0] == 0
    assert sheet_values(out, "客户信息")[0]["跟进周期(天)"] == 7


def test_visible_staff_sheet_named_like_the_history_sheet_is_never_overwritten(
    blank_rows, make_workbook, run_cli
) -> None:
    import hashlib

    from openpyxl import load_workbook

    wb = make_workbook(blank_rows())
    book = load_workbook(wb)
    book.create_sheet("xlcrm_历史").append(["我的记录", "请勿删除"])
    book.save(wb)
    before = hashlib.sha256(wb.read_bytes()).hexdigest()
    code, out, err = run_cli("enrich", wb, "--as-of", AS)
    assert code == 2 and "xlcrm_历史" in err and "改名" in err and "Traceback" not in err
    assert hashlib.sha256(wb.read_bytes()).hexdigest() == before
    assert not list(wb.parent.glob("*.bak-*"))
