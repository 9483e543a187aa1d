"""Campaign figures (SPEC §2.9, §2.10) and 活动任务 是否逾期; as-of 2024-06-30 unless stated."""

from __future__ import annotations

import pytest
from derive_helpers import D, T, campaign, customer, feedback, followup, run, task, value


def _customers() -> list[dict]:
    rich = {"frequency": 5, "monetary": 1e6, "last_purchase": D("2024-06-01"), "first_deal": D("2020-01-01")}
    return [
        customer(customer_id="A1", **rich),  # 高价值 → A
        customer(customer_id="B1", tier_override="B"),
        customer(customer_id="B2", tier_override="B"),
        customer(customer_id="C1", stage="意向"),
        customer(customer_id="L1", stage="已流失"),  # C tier, risk 高
        customer(customer_id="L2", stage="已流失", tier_override="B"),
    ]


@pytest.mark.parametrize(
    ("audience", "count"),
    [(None, 4), ("全部", 4), ("A类", 1), ("B类", 3), ("C类", 2), ("高价值", 1), ("潜力", 0)],
)
def test_target_count_from_audience(audience: str | None, count: int) -> None:
    # Followed up recently so only 已流失 customers carry risk.
    fus = [followup(c, "2024-06-29") for c in ("A1", "B1", "B2", "C1", "L1", "L2")]
    result = run(
        {
            "customers": _customers(),
            "followups": fus,
            "campaigns": [campaign("HD2024001", "2024-06-01", "2024-06-30", audience=audience)],
        }
    )
    assert value(result, "campaigns", 0, "target_count") == count


def test_target_count_at_risk_includes_churned() -> None:
    fus = [followup(c, "2024-06-29") for c in ("A1", "B1", "B2", "L1", "L2")]  # C1 never followed → overdue
    result = run(
        {
            "customers": _customers(),
            "followups": fus,
            "campaigns": [campaign("HD2024001", "2024-06-01", "2024-06-30", audience="流失风险")],
        }
    )
    assert result.customers["C1"]["churn_risk"] == "中"
    assert value(result, "campaigns", 0, "target_count") == 3  # C1, L1, L2


def test_typed_target_count_wins_and_drives_reach_rate() -> None:
    fus = [
        followup("B1", "2024-06-10", campaign_id="HD2024001"),
        followup("B2", "2024-06-11", campaign_id="HD2024001"),
        followup("B1", "2024-06-12", campaign_id="HD2024001"),
        followup("C1", "2025-01-01", campaign_id="HD2024001"),
    ]  # any date counts for reach
    result = run(
        {
            "customers": _customers(),
            "followups": fus,
            "campaigns": [campaign("HD2024001", "2024-06-01", "2024-06-30", audience="全部", target_count=6)],
        }
    )
    row = result.values["campaigns"][2]
    assert "target_count" not in row
    assert (row["reached_count"], row["reach_rate"]) == (3, 0.5)
    assert result.campaigns["HD2024001"]["target_count"] == 6


def test_rates_and_satisfaction() -> None:
    fus = [
        followup("B1", "2024-06-10", campaign_id="HD1", satisfaction=80),
        followup("B2", "2024-06-10", campaign_id="HD1", satisfaction=90),
        followup("B2", "2023-01-01", campaign_id="HD1", satisfaction=None),
    ]
    fbs = [
        feedback(
            "B1",
            "2024-06-11 10:00",
            campaign_id="HD1",
            satisfaction=70,
            status="已解决",
            resolution="已处理",
            resolved_at=T("2024-06-11 12:00"),
        ),
        feedback("B2", "2024-06-11 10:00", campaign_id="HD1"),
    ]
    camp = campaign(
        "HD1",
        "2024-06-01",
        "2024-06-20",
        audience="B类",
        goal_target=15.0,
        goal_actual=18.0,
        budget=10000.0,
        spent=8000.0,
    )
    row = run({"customers": _customers(), "followups": fus, "feedback": fbs, "campaigns": [camp]}).values["campaigns"][
        2
    ]
    assert row["target_count"] == 3  # B1, B2 and the churned L2 pinned to B
    assert (row["reached_count"], row["reach_rate"]) == (2, pytest.approx(2 / 3))
    assert row["satisfaction_avg"] == 80.0
    assert (row["issues_total"], row["issues_resolved"], row["resolution_rate"]) == (2, 1, 0.5)
    assert row["goal_rate"] == pytest.approx(1.2)
    assert row["budget_rate"] == pytest.approx(0.8)


def test_blank_denominators_and_blank_actual() -> None:
    camp = campaign("HD1", "2024-06-01", "2024-06-20", audience="潜力", goal_target=15.0, budget=0.0, spent=100.0)
    row = run({"customers": _customers(), "campaigns": [camp]}).values["campaigns"][2]
    assert row["target_count"] == 0
    assert (row["reached_count"], row["reach_rate"]) == (0, None)
    assert (row["issues_total"], row["issues_resolved"], row["resolution_rate"]) == (0, 0, None)
    assert row["goal_rate"] is None  # 实际值 blank
    assert row["budget_rate"] is None  # 预算 0
    assert row["satisfaction_avg"] is None
    assert (row["task_done_rate"], row["tasks_overdue"]) == (None, 0)


@pytest.mark.parametrize(
    ("start", "end", "reviewed", "state"),
    [
        ("2024-07-01", "2024-07-10", None, "未开始"),
        ("2024-06-30", "2024-07-10", None, "进行中"),
        ("2024-06-01", "2024-06-30", None, "进行中"),
        ("2024-06-01", "2024-06-29", None, "待复盘"),
        ("2024-06-01", "2024-06-29", "2024-06-30", "已复盘"),
        ("2024-07-01", "2024-07-10", "2024-06-30", "已复盘"),  # filled 复盘日期 wins
    ],
)
def test_campaign_state(start: str, end: str, reviewed: str | None, state: str) -> None:
    camp = campaign("HD1", start, end, reviewed_on=D(reviewed) if reviewed else None)
    assert value(run({"campaigns": [camp]}), "campaigns", 0, "state") == state


def test_review_due_third_working_day_across_national_day() -> None:
    # End Fri 2024-09-27: Sun 09-29 (调休) 1, Mon 09-30 2, 10-01..07 holiday, Tue 10-08 3.
    result = run({"campaigns": [campaign("HD1", "2024-09-01", "2024-09-27")]})
    assert value(result, "campaigns", 0, "review_due") == D("2024-10-08")
    assert result.warnings == []


def test_review_due_ordinary_week() -> None:
    result = run({"campaigns": [campaign("HD1", "2024-06-01", "2024-06-14")]})  # Friday
    assert value(result, "campaigns", 0, "review_due") == D("2024-06-19")


def test_uncovered_year_warns_once() -> None:
    camps = [campaign("HD1", "2030-12-01", "2030-12-30"), campaign("HD2", "2030-12-01", "2030-12-31")]
    result = run({"campaigns": camps}, as_of="2030-12-31")
    # Mon 2030-12-30 + 3 weekdays: Tue 12-31, Wed 01-01 (no holiday data), Thu 01-02
    assert value(result, "campaigns", 0, "review_due") == D("2031-01-02")
    assert value(result, "campaigns", 1, "review_due") == D("2031-01-03")
    assert len(result.warnings) == 1
    assert "2030" in result.warnings[0] and "2031" in result.warnings[0]


@pytest.mark.parametrize(
    ("due", "status", "done_on", "expected"),
    [
        ("2024-06-20", "已取消", None, "已取消"),
        ("2024-06-20", "已完成", "2024-06-20", "按时完成"),
        ("2024-06-20", "已完成", "2024-06-21", "延期完成"),
        ("2024-06-20", "已完成", "2024-06-10", "按时完成"),
        ("2024-06-29", "进行中", None, "已逾期"),
        ("2024-06-30", "进行中", None, "未到期"),  # due today is not overdue yet
        ("2024-07-05", "未开始", None, "未到期"),
    ],
)
def test_task_overdue(due: str, status: str, done_on: str | None, expected: str) -> None:
    t = task("HD1", due, status, done_on=D(done_on) if done_on else None)
    result = run({"campaigns": [campaign("HD1", "2024-06-01", "2024-06-30")], "tasks": [t]})
    assert value(result, "tasks", 0, "overdue") == expected


def test_task_figures_on_campaign() -> None:
    tasks = [
        task("HD1", "2024-06-10", "已完成", done_on=D("2024-06-09")),
        task("HD1", "2024-06-10", "已完成", done_on=D("2024-06-12")),
        task("HD1", "2024-06-10", "进行中"),
        task("HD1", "2024-06-10", "已取消"),
        task("HD2", "2024-06-10", "进行中"),
    ]
    result = run(
        {
            "campaigns": [campaign("HD1", "2024-06-01", "2024-06-30"), campaign("HD2", "2024-06-01", "2024-06-30")],
            "tasks": tasks,
        }
    )
    one = result.values["campaigns"][2]
    assert one["task_done_rate"] == pytest.approx(2 / 3)
    assert one["tasks_overdue"] == 1
    assert result.values["campaigns"][3]["task_done_rate"] == 0.0
