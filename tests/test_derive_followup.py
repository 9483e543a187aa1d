"""客户分层 (SPEC §2.3), follow-up cadence (§2.4) and 跟进记录's computed columns; hand-computed.

As-of is 2024-06-30 throughout.
"""

from __future__ import annotations

import pytest
from derive_helpers import D, T, customer, followup, run, value

from xlcrm.config import Config


@pytest.mark.parametrize(
    ("fields", "tier"),
    [
        ({"stage": "已合作", "frequency": 2, "monetary": 10.0, "last_purchase": D("2024-06-01")}, "B"),
        ({"stage": "已合作", "frequency": 1, "scale": "大型"}, "B"),
        ({"stage": "已合作", "frequency": 1, "scale": "中型"}, "C"),
        ({"stage": "意向", "frequency": 5, "scale": "大型"}, "C"),
        ({"stage": "暂停", "frequency": 5}, "C"),
        ({"stage": "意向", "tier_override": "A"}, "A"),  # 手工分层 wins
        ({"stage": "已合作", "frequency": 9, "tier_override": "C"}, "C"),
    ],
)
def test_tier_rule(fields: dict, tier: str) -> None:
    result = run({"customers": [customer(customer_id="X", **fields)]})
    assert result.customers["X"]["tier"] == tier
    assert result.customers["X"]["cadence_days"] == {"A": 7, "B": 14, "C": 30}[tier]


def test_manual_override_beats_high_value() -> None:
    rich = dict(frequency=5, monetary=1e6, last_purchase=D("2024-06-01"), first_deal=D("2020-01-01"))
    result = run({"customers": [customer(customer_id="X", tier_override="B", **rich)]})
    assert result.customers["X"]["value_segment"] == "高价值"
    assert result.customers["X"]["tier"] == "B"


def _one(followups: list[dict], **fields: object) -> dict:
    """Derive one tier-C customer (cadence 30, deep cycle 180) with these follow-ups."""
    rows = [dict(f, customer_id="X") for f in followups]
    return run(
        {"customers": [customer(**{"customer_id": "X", "stage": "意向", **fields})], "followups": rows}
    ).customers["X"]


def test_no_followup_uses_created_date() -> None:
    c = _one([])
    # 2024-01-01 + 30 = 2024-01-31; overdue 29 (Feb) + 31 + 30 + 31 + 30 = 151 days
    assert (c["last_followup"], c["next_due"], c["followup_status"], c["overdue_days"]) == (
        None,
        D("2024-01-31"),
        "已逾期",
        151,
    )
    assert c["next_deep_due"] == D("2024-06-29")  # 2024-01-01 + 180


@pytest.mark.parametrize(
    ("last", "due", "status", "overdue"),
    [
        ("2024-05-31", "2024-06-30", "今日到期", 0),
        ("2024-05-30", "2024-06-29", "已逾期", 1),
        ("2024-06-03", "2024-07-03", "即将到期", 0),  # due in 3 days
        ("2024-06-04", "2024-07-04", "正常", 0),  # due in 4 days
        ("2024-06-01", "2024-07-01", "即将到期", 0),
    ],
)
def test_due_status(last: str, due: str, status: str, overdue: int) -> None:
    c = _one([followup("X", "2024-03-01"), followup("X", last + " 16:30")])
    assert c["last_followup"] == D(last)
    assert (c["next_due"], c["followup_status"], c["overdue_days"]) == (D(due), status, overdue)


def test_due_soon_days_is_configurable() -> None:
    rows = [dict(followup("X", "2024-06-04"), customer_id="X")]
    result = run(
        {"customers": [customer(customer_id="X", stage="意向")], "followups": rows}, config=Config(due_soon_days=4)
    )
    assert result.customers["X"]["followup_status"] == "即将到期"


def test_followup_after_as_of_is_ignored() -> None:
    c = _one([followup("X", "2024-06-10"), followup("X", "2024-07-02", next_action_date=D("2024-07-03"))])
    assert c["last_followup"] == D("2024-06-10")
    assert c["next_due"] == D("2024-07-10")


def test_followup_late_on_as_of_day_counts() -> None:
    c = _one([followup("X", "2024-06-30 23:30")])
    assert c["last_followup"] == D("2024-06-30")


def test_earlier_plan_date_of_latest_followup_wins() -> None:
    c = _one([followup("X", "2024-06-20", next_action_date=D("2024-06-25"))])
    assert (c["next_due"], c["followup_status"], c["overdue_days"]) == (D("2024-06-25"), "已逾期", 5)


def test_plan_later_than_cadence_is_ignored() -> None:
    c = _one([followup("X", "2024-06-20", next_action_date=D("2024-08-01"))])
    assert c["next_due"] == D("2024-07-20")


def test_plan_of_an_earlier_followup_is_ignored() -> None:
    c = _one([followup("X", "2024-06-10", next_action_date=D("2024-06-12")), followup("X", "2024-06-20")])
    assert c["next_due"] == D("2024-07-20")


def test_plan_before_the_followup_itself_is_ignored() -> None:
    c = _one([followup("X", "2024-06-20", next_action_date=D("2024-06-19"))])
    assert c["next_due"] == D("2024-07-20")


def test_plan_on_the_followup_day_counts() -> None:
    c = _one([followup("X", "2024-06-20 09:00", next_action_date=D("2024-06-20"))])
    assert (c["next_due"], c["overdue_days"]) == (D("2024-06-20"), 10)


def test_tier_a_cadence_seven_days() -> None:
    rows = [followup("X", "2024-06-25")]
    result = run({"customers": [customer(customer_id="X", tier_override="A")], "followups": rows})
    assert result.customers["X"]["next_due"] == D("2024-07-02")
    assert result.customers["X"]["followup_status"] == "即将到期"
    assert result.customers["X"]["next_deep_due"] == D("2024-01-31")  # created + 30


def test_deep_contact_uses_latest_deep_kind() -> None:
    c = _one(
        [
            followup("X", "2024-02-01", kind="高层互动"),
            followup("X", "2024-03-01", kind="深度沟通"),
            followup("X", "2024-06-01", kind="日常跟进"),
        ]
    )
    assert c["next_deep_due"] == D("2024-08-28")  # 2024-03-01 + 180 (tier C)


@pytest.mark.parametrize(("tier", "expected"), [("A", "2024-06-30"), ("B", "2024-08-29"), ("C", "2024-11-27")])
def test_deep_contact_cycle_by_tier(tier: str, expected: str) -> None:
    rows = [followup("X", "2024-05-31", kind="信息更新")]
    result = run({"customers": [customer(customer_id="X", tier_override=tier)], "followups": rows})
    assert result.customers["X"]["next_deep_due"] == D(expected)


def test_churned_customer_still_gets_cadence() -> None:
    c = _one([followup("X", "2024-06-20")], stage="已流失")
    assert c["next_due"] == D("2024-07-20")


# --- 跟进记录 columns ------------------------------------------------------------------------


def test_followup_row_tier_and_name() -> None:
    rows = [followup("X", "2024-06-01"), followup("X", "2024-06-02", customer_name="自填名称")]
    result = run(
        {"customers": [customer(customer_id="X", name="华兴科技有限公司", tier_override="B")], "followups": rows}
    )
    first, second = result.values["followups"][2], result.values["followups"][3]
    assert first["customer_tier"] == "B" and first["customer_name"] == "华兴科技有限公司"
    assert second["customer_tier"] == "B" and "customer_name" not in second  # staff value kept
    assert result.followup_rows[1]["customer_name"] == "自填名称"


@pytest.mark.parametrize(
    ("recorded", "expected"),
    [("2024-06-02 10:00", "是"), ("2024-06-01 10:00", "是"), ("2024-06-02 10:01", "否"), (None, None)],
)
def test_recorded_in_time(recorded: str | None, expected: str | None) -> None:
    rows = [followup("X", "2024-06-01 10:00", recorded=T(recorded) if recorded else None)]
    result = run({"customers": [customer(customer_id="X")], "followups": rows})
    assert value(result, "followups", 0, "recorded_in_time") == expected


def test_next_action_status() -> None:
    rows = [
        followup("X", "2024-06-01", next_action_date=D("2024-06-05")),  # a later follow-up exists
        followup("X", "2024-06-10"),  # no plan → blank
        followup("Y", "2024-06-20", next_action_date=D("2024-06-29")),  # plan passed
        followup("Z", "2024-06-20", next_action_date=D("2024-06-30")),  # plan today
        followup("W", "2024-06-20 09:00", next_action_date=D("2024-06-25")),
        followup("W", "2024-06-20 15:00", next_action_date=D("2024-07-05")),  # same day, later hour
        followup("V", "2024-06-20", next_action_date=D("2024-06-25")),
        followup("V", "2024-07-01"),  # after as-of: not yet happened
    ]
    customers = [customer(customer_id=c) for c in "XYZWV"]
    result = run({"customers": customers, "followups": rows})
    got = [value(result, "followups", i, "next_action_status") for i in range(len(rows))]
    assert got == ["已跟进", None, "已逾期", "待办", "已跟进", "待办", "已逾期", None]
