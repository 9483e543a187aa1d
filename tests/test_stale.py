"""``computed.stale`` (SPEC §3.2): validate tells when an enriched workbook was edited afterwards."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

AS = "2026-11-20"


def stale(run_cli, path: Path, as_of: str = AS) -> list[tuple[str, str, str]]:
    code, out, err = run_cli("validate", path, "--format", "json", "--as-of", as_of)
    assert code in (0, 1), err
    issues = json.loads(out)["files"][0]["issues"]
    return [(i["sheet"], i["cell"], i["field"]) for i in issues if i["code"] == "computed.stale"]


def test_new_followup_after_enrich_makes_due_dates_stale_until_enrich(blank_rows, make_workbook, run_cli) -> None:
    wb = make_workbook(blank_rows())
    assert stale(run_cli, wb) == []  # never enriched: blank computed cells are not stale
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert stale(run_cli, wb) == []  # just enriched at the same as-of

    book = load_workbook(wb)  # a new follow-up typed in Excel after enrich
    ws = book["跟进记录"]
    headers = {c.value: c.column for c in ws[1]}
    for header, value in {
        "客户编号": "HXKJ20240001",
        "跟进时间": datetime(2026, 11, 18, 10, 0),
        "跟进方式": "拜访",
        "跟进类型": "日常跟进",
        "跟进人": "李娜",
        "沟通内容": "上门回访，确认续约意向",
        "录入日期": datetime(2026, 11, 18, 16, 0),
    }.items():
        ws.cell(3, headers[header]).value = value
    book.save(wb)
    found = stale(run_cli, wb)
    customers = {(cell, field) for sheet, cell, field in found if sheet == "客户信息"}
    cols = {c.value: c.column_letter for c in load_workbook(wb)["客户信息"][1]}
    assert (f"{cols['最近跟进日期']}2", "last_followup") in customers
    assert (f"{cols['下次跟进日期']}2", "next_due") in customers
    code, out, err = run_cli("validate", wb, "--as-of", AS)
    assert "computed.stale" in out and "xlcrm enrich" in out

    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    assert stale(run_cli, wb) == []


def test_one_warning_per_column_with_a_count(sample_300, run_cli, tmp_path: Path) -> None:
    import shutil

    wb = tmp_path / "s.xlsx"
    shutil.copy(sample_300, wb)
    assert run_cli("enrich", wb, "--as-of", AS, "--no-backup")[0] == 0
    later = date(2026, 11, 27).isoformat()  # a week on: due dates and overdue days move
    found = stale(run_cli, wb, later)
    assert len(found) == len(set((s, f) for s, _, f in found))  # one per sheet and column
    code, out, err = run_cli("validate", wb, "--format", "json", "--as-of", later)
    overdue = next(i for i in json.loads(out)["files"][0]["issues"] if i["field"] == "overdue_days")
    assert "个单元格" in overdue["message"] and overdue["severity"] == "warning"
