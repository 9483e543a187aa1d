"""Report contexts: the numbers a reader sees, straight from the derived records (SPEC §6)."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import pytest
from test_report_data import AS_OF, CAMPAIGN, IMPROVEMENTS, LESSONS_BAD, LESSONS_GOOD, write_campaign_workbook

from xlcrm.derive import Derived, derive
from xlcrm.reporting.consolidate import consolidate
from xlcrm.reporting.context import campaign_context, monthly_context, verdict
from xlcrm.reporting.formatting import counted, pct


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> Derived:
    path = write_campaign_workbook(tmp_path_factory.mktemp("ctx") / "wb.xlsx")
    merged = consolidate([path], AS_OF)
    return derive(merged.book, merged.config, AS_OF)


def test_goal_rate_and_verdict(derived: Derived) -> None:
    goal = campaign_context(derived, CAMPAIGN, AS_OF)["goal"]
    assert (goal["target"], goal["actual"], goal["rate"], goal["verdict"]) == ("15", "18", "120.0%", "超额完成")


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(1.2, "超额完成"), (1.0, "达成"), (0.999, "未达成"), (None, "无法判断（目标值或实际值未填写）")],
)
def test_verdict(rate: float | None, expected: str) -> None:
    assert verdict(rate) == expected


def test_feedback_resolution(derived: Derived) -> None:
    fb = campaign_context(derived, CAMPAIGN, AS_OF)["feedback"]
    assert (fb["total"], fb["resolved"], fb["rate"]) == ("10", "8", "80.0%")
    assert [(r["label"], r["count"], r["resolved"]) for r in fb["by_type"]] == [
        ("咨询", "4", "3"),
        ("建议", "3", "3"),
        ("投诉", "3", "2"),
    ]
    assert [(r["feedback_id"], r["sla_status"]) for r in fb["open_items"]] == [
        ("FK20261110008", "超时未解决"),
        ("FK20261120009", "处理中"),
    ]


def test_reach_budget_tasks(derived: Derived) -> None:
    ctx = campaign_context(derived, CAMPAIGN, AS_OF)
    assert (ctx["reach"]["target"], ctx["reach"]["reached"], ctx["reach"]["rate"]) == ("12", "8", "66.7%")
    assert ctx["budget"] == {"budget": "5,000.00", "spent": "5,600.00", "rate": "112.0%", "note": "超支 600.00 元"}
    assert (ctx["tasks"]["done_rate"], ctx["tasks"]["overdue"]) == ("66.7%", "1")
    assert [(t["task"], t["blocker"]) for t in ctx["tasks"]["unfinished"]] == [
        ("邀约 C 类客户座谈", "名单过期，联系人 | 电话待更新")
    ]


def test_relationship_changes_from_snapshots(derived: Derived) -> None:
    changes = campaign_context(derived, CAMPAIGN, AS_OF)["changes"]
    assert changes["has_history"] and changes["snapshot_date"] == "2026-10-31"
    rows = {r["customer"].split("（")[1].rstrip("）"): (r["tier"], r["risk"]) for r in changes["rows"]}
    assert rows["HXKJ20240003"] == ("C→B", "中→低")
    assert rows["HXKJ20240002"][0] == "A→B"
    assert (changes["risk_down"], changes["tier_up"], changes["tier_down"]) == (2, 1, 1)


def test_lessons_verbatim_and_observations(derived: Derived) -> None:
    lessons = campaign_context(derived, CAMPAIGN, AS_OF)["lessons"]
    assert (lessons["good"], lessons["bad"], lessons["improvements"]) == (LESSONS_GOOD, LESSONS_BAD, IMPROVEMENTS)
    notes = " ".join(lessons["observations"])
    assert "触达率 66.7%，低于目标客户的八成" in notes
    assert "1 条投诉超时未解决" in notes
    assert "达成率 120.0%，超额完成" in notes


def test_campaign_context_pickles(derived: Derived) -> None:
    ctx = campaign_context(derived, CAMPAIGN, AS_OF)
    assert pickle.loads(pickle.dumps(ctx)) == ctx


def test_monthly_team_numbers(derived: Derived) -> None:
    ctx = monthly_context(derived, (2026, 11), AS_OF)
    fb = ctx["feedback"]
    assert (fb["received"], fb["resolved"], fb["rate"], fb["open_count"], fb["overdue_count"]) == (10, 8, "80.0%", 2, 1)
    assert ctx["followups"]["total"] == 8 and ctx["followups"]["in_time_rate"] == "100.0%"
    assert ctx["customers"]["total"] == 12
    assert sum(int(r["count"]) for r in ctx["customers"]["by_tier"]) == 12
    assert [c["campaign_id"] for c in ctx["campaigns"]["rows"]] == ["HD2026001", "HD2026002"]
    assert ctx["satisfaction"]["delta"] == "上月无满意度评分，无法比较"
    assert pickle.loads(pickle.dumps(ctx)) == ctx


def test_monthly_by_manager_restricts_rows(derived: Derived) -> None:
    team = monthly_context(derived, (2026, 11), AS_OF)
    parts = [monthly_context(derived, (2026, 11), AS_OF, manager=m) for m in ("李娜", "王强")]
    assert [p["scope"] for p in parts] == ["客户经理：李娜", "客户经理：王强"]
    assert sum(p["customers"]["total"] for p in parts) == team["customers"]["total"]
    assert sum(p["feedback"]["received"] for p in parts) == team["feedback"]["received"]
    assert all(row["manager"] == "李娜" for row in parts[0]["followups"]["overdue"])


def test_monthly_empty_period_keeps_sections(derived: Derived) -> None:
    ctx = monthly_context(derived, (2025, 3), AS_OF)
    assert ctx["feedback"]["received"] == 0 and ctx["followups"]["total"] == 0
    assert ctx["campaigns"]["rows"] == [] and ctx["satisfaction"]["delta"] == "本月无满意度评分"


def test_monthly_past_month_uses_month_end_state(tmp_path: Path) -> None:
    path = write_campaign_workbook(tmp_path / "wb.xlsx")
    merged = consolidate([path], AS_OF)
    now = derive(merged.book, merged.config, AS_OF)
    end = derive(merged.book, merged.config, date(2026, 10, 31))
    ctx = monthly_context(now, (2026, 10), AS_OF, at_month_end=end)
    assert ctx["followups"]["overdue_basis"] == "2026-10-31"


def test_formatting_helpers() -> None:
    assert pct(1.2) == "120.0%" and pct(0.6665) == "66.7%" and pct(None) == "—"
    rows = counted(["B", None, "A", "B", "X"], ("A", "B", "C"))
    assert [(r["label"], r["count"]) for r in rows] == [("A", "1"), ("B", "2"), ("C", "0"), ("未填写", "1"), ("X", "1")]
