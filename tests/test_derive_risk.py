"""流失风险 and its reasons (SPEC §2.5), customer feedback figures and satisfaction (§2.6).

As-of 2024-06-30: as-of − 90 days = 2024-04-01, as-of − 365 days = 2023-07-01.
"""

from __future__ import annotations

import pytest
from derive_helpers import D, T, customer, feedback, followup, run

from xlcrm.config import Config


def _risk(
    customer_fields: dict | None = None,
    followups: list | None = None,
    feedback_rows: list | None = None,
    config: Config | None = None,
) -> dict:
    # A B-tier customer followed up yesterday, so 跟进严重逾期 stays out unless a test wants it.
    fields = {"customer_id": "X", "tier_override": "B", **(customer_fields or {})}
    fus = [followup("X", "2024-06-29")] + list(followups or [])
    result = run(
        {"customers": [customer(**fields)], "followups": fus, "feedback": list(feedback_rows or [])}, config=config
    )
    return result.customers["X"]


def test_no_reasons_is_low() -> None:
    c = _risk()
    assert (c["churn_risk"], c["risk_reasons"], c["risk_reason_list"]) == ("低", None, [])


@pytest.mark.parametrize(("last_purchase", "flagged"), [("2024-04-01", False), ("2024-03-31", True)])
def test_no_purchase_more_than_90_days_is_strict(last_purchase: str, flagged: bool) -> None:
    c = _risk({"last_purchase": D(last_purchase), "frequency": 1, "monetary": 10.0})
    assert c["recency_days"] == (91 if flagged else 90)
    assert (c["risk_reasons"], c["churn_risk"]) == (("近90天未下单", "中") if flagged else (None, "低"))


def test_blank_last_purchase_is_no_reason() -> None:
    assert _risk({"stage": "意向"})["risk_reasons"] is None


def test_complaints_within_90_days_include_the_boundary_day() -> None:
    rows = [
        feedback("X", "2024-04-01 00:00", type="投诉"),  # exactly as-of − 90: counted
        feedback("X", "2024-06-30 18:00", type="投诉", complexity="复杂"),
        feedback(
            "X",
            "2024-03-31 23:59",
            type="投诉",
            status="已关闭",
            resolution="已处理",
            resolved_at=T("2024-04-01 09:00"),
            confirmation="满意",
        ),  # outside the window
        feedback("X", "2024-06-01 10:00", type="建议"),  # not a complaint
    ]
    c = _risk(feedback_rows=rows)
    assert c["complaints_90d"] == 2
    # the 04-01 complaint is still open past its deadline → 投诉超时未解决 too
    assert c["risk_reasons"] == "近90天投诉≥2;投诉超时未解决"
    assert c["churn_risk"] == "高"
    assert c["open_feedback"] == 3
    assert c["resolution_rate"] == pytest.approx(1 / 4)


def test_one_complaint_is_not_enough() -> None:
    rows = [feedback("X", "2024-06-30 09:00", type="投诉")]
    c = _risk(feedback_rows=rows)
    assert (c["complaints_90d"], c["risk_reasons"]) == (1, None)


def test_followup_severely_overdue_when_overdue_days_reach_cadence() -> None:
    # B tier (14 days): last follow-up 2024-06-02 → due 06-16 → overdue 14 = cadence → reason
    fields = {"customer_id": "X", "tier_override": "B"}
    at_cadence = run({"customers": [customer(**fields)], "followups": [followup("X", "2024-06-02")]}).customers["X"]
    below = run({"customers": [customer(**fields)], "followups": [followup("X", "2024-06-03")]}).customers["X"]
    assert (at_cadence["overdue_days"], at_cadence["risk_reasons"]) == (14, "跟进严重逾期")
    assert (below["overdue_days"], below["risk_reasons"]) == (13, None)


def test_low_satisfaction_uses_unrounded_mean() -> None:
    # (59.9 + 60) / 2 = 59.95 → shown 60.0 but < 60 → 满意度偏低
    c = _risk(followups=[followup("X", "2024-06-01", satisfaction=59.9), followup("X", "2024-06-02", satisfaction=60)])
    assert c["satisfaction_avg"] == 60.0
    assert c["risk_reasons"] == "满意度偏低"


def test_satisfaction_exactly_60_is_fine() -> None:
    assert _risk(followups=[followup("X", "2024-06-01", satisfaction=60)])["risk_reasons"] is None


def test_satisfaction_window_and_sources() -> None:
    fus = [
        followup("X", "2023-07-01 08:00", satisfaction=50),  # as-of − 365: in
        followup("X", "2023-06-30 20:00", satisfaction=0),  # out
        followup("X", "2024-06-20", satisfaction=None),
    ]
    fbs = [feedback("X", "2024-05-01 10:00", satisfaction=95), feedback("X", "2023-06-01 10:00", satisfaction=0)]
    c = _risk(followups=fus, feedback_rows=fbs)
    assert c["satisfaction_avg"] == 72.5


def test_no_scores_gives_blank_satisfaction() -> None:
    assert _risk()["satisfaction_avg"] is None


def test_churned_is_high_and_listed_first() -> None:
    alone = _risk({"stage": "已流失"})
    assert (alone["churn_risk"], alone["risk_reasons"]) == ("高", "已流失")
    more = _risk(
        {"stage": "已流失", "last_purchase": D("2024-01-01"), "frequency": 1, "monetary": 5.0},
        followups=[followup("X", "2024-06-01", satisfaction=30)],
    )
    assert more["risk_reasons"] == "已流失;近90天未下单;满意度偏低"


def test_two_reasons_high_order_follows_spec() -> None:
    fus = [followup("X", "2024-06-01", satisfaction=10)]
    c = _risk({"last_purchase": D("2024-01-01"), "frequency": 1, "monetary": 5.0}, followups=fus)
    assert (c["churn_risk"], c["risk_reasons"]) == ("高", "近90天未下单;满意度偏低")


def test_complaint_breached_only_for_complaints() -> None:
    consult = _risk(feedback_rows=[feedback("X", "2024-06-01 10:00", type="咨询")])
    complaint = _risk(feedback_rows=[feedback("X", "2024-06-01 10:00", type="投诉")])
    late_but_solved = _risk(
        feedback_rows=[
            feedback(
                "X",
                "2024-06-01 10:00",
                type="投诉",
                status="已解决",
                resolution="已处理",
                resolved_at=T("2024-06-10 10:00"),
            )
        ]
    )
    assert consult["risk_reasons"] is None
    assert complaint["risk_reasons"] == "投诉超时未解决"
    assert late_but_solved["risk_reasons"] is None


def test_configured_thresholds() -> None:
    cfg = Config(risk_no_purchase_days=30, risk_low_satisfaction=80.0)
    c = _risk(
        {"last_purchase": D("2024-05-30"), "frequency": 1, "monetary": 1.0},
        followups=[followup("X", "2024-06-01", satisfaction=79)],
        config=cfg,
    )
    assert c["risk_reasons"] == "近90天未下单;满意度偏低"


def test_customer_resolution_rate_and_open_count() -> None:
    done = {"resolution": "已处理", "resolved_at": T("2024-06-02 10:00")}
    rows = [
        feedback("X", "2024-06-01 10:00", status="已解决", **done),
        feedback("X", "2024-06-01 11:00", status="已关闭", confirmation="满意", **done),
        feedback("X", "2024-06-01 12:00", status="重新打开"),
    ]
    c = _risk(feedback_rows=rows)
    assert (c["open_feedback"], c["resolution_rate"]) == (1, pytest.approx(2 / 3))
    assert _risk()["resolution_rate"] is None
