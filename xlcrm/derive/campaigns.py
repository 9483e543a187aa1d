"""Campaign figures (SPEC §2.9, §2.10): audience size, reach, satisfaction, issues, rates, state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..config import Config
from .common import Record, day_of, group_by, mean, ratio, round1
from .feedback import is_resolved
from .vocab import (
    AUDIENCE_A,
    AUDIENCE_ALL,
    AUDIENCE_AT_RISK,
    AUDIENCE_B,
    AUDIENCE_C,
    AUDIENCE_HIGH_VALUE,
    AUDIENCE_POTENTIAL,
    CAMPAIGN_NOT_STARTED,
    CAMPAIGN_REVIEWED,
    CAMPAIGN_RUNNING,
    CAMPAIGN_TO_REVIEW,
    RISK_HIGH,
    RISK_MEDIUM,
    STAGE_CHURNED,
    TASK_CANCELLED,
    TASK_DONE,
    TASK_OVERDUE_MARK,
    TIER_A,
    TIER_B,
    TIER_C,
    VALUE_HIGH,
    VALUE_POTENTIAL,
)
from .workdays import WorkCalendar

Predicate = Callable[[Record], bool]


def _not_churned(c: Record) -> bool:
    return c.get("stage") != STAGE_CHURNED


def _field_is(key: str, value: str) -> Predicate:
    # SPEC §2.9 names the 已流失 exclusion for 全部 only: tier and value audiences go by the field.
    return lambda c: c.get(key) == value


AUDIENCE_MEMBERS: dict[str | None, Predicate] = {
    None: _not_churned,
    AUDIENCE_ALL: _not_churned,
    AUDIENCE_A: _field_is("tier", TIER_A),
    AUDIENCE_B: _field_is("tier", TIER_B),
    AUDIENCE_C: _field_is("tier", TIER_C),
    AUDIENCE_HIGH_VALUE: _field_is("value_segment", VALUE_HIGH),
    AUDIENCE_POTENTIAL: _field_is("value_segment", VALUE_POTENTIAL),
    AUDIENCE_AT_RISK: lambda c: c.get("churn_risk") in (RISK_HIGH, RISK_MEDIUM),
}


def audience_size(audience: str | None, customers: list[Record]) -> int:
    """Customers in 目标客群 at as-of (blank audience = 全部)."""
    member = AUDIENCE_MEMBERS.get(audience, _not_churned)
    return sum(1 for c in customers if member(c))


def campaign_state(campaign: Record, as_of: date) -> str | None:
    """已复盘 once 复盘日期 is filled; else 未开始 / 进行中 / 待复盘 by the dates."""
    if campaign.get("reviewed_on") is not None:
        return CAMPAIGN_REVIEWED
    start, end = day_of(campaign.get("start")), day_of(campaign.get("end"))
    if start is None or end is None:
        return None
    if as_of < start:
        return CAMPAIGN_NOT_STARTED
    return CAMPAIGN_RUNNING if as_of <= end else CAMPAIGN_TO_REVIEW


def apply_campaigns(
    campaigns: list[Record],
    customers: list[Record],
    followups: list[Record],
    feedback: list[Record],
    tasks: list[Record],
    as_of: date,
    config: Config,
    cal: WorkCalendar,
) -> None:
    """Set every computed column of 维护活动 and a blank 目标客户数 (needs customer and task results)."""
    followups_by = group_by(followups, "campaign_id")
    feedback_by = group_by(feedback, "campaign_id")
    tasks_by = group_by(tasks, "campaign_id")
    sizes: dict[str | None, int] = {}
    for camp in campaigns:
        cid = camp.get("campaign_id")
        if camp.get("target_count") is None:
            audience = camp.get("audience")
            if audience not in sizes:
                sizes[audience] = audience_size(audience, customers)
            camp["target_count"] = sizes[audience]
        linked_followups = followups_by.get(cid, [])
        linked_feedback = feedback_by.get(cid, [])
        linked_tasks = tasks_by.get(cid, [])
        camp["state"] = campaign_state(camp, as_of)
        end = day_of(camp.get("end"))
        camp["review_due"] = cal.add_workdays(end, config.review_due_workdays) if end else None
        camp["reached_count"] = len({f["customer_id"] for f in linked_followups if f.get("customer_id")})
        camp["reach_rate"] = ratio(camp["reached_count"], camp["target_count"])
        scores = [r["satisfaction"] for r in linked_followups + linked_feedback if r.get("satisfaction") is not None]
        camp["satisfaction_avg"] = round1(mean(scores))
        camp["issues_total"] = len(linked_feedback)
        camp["issues_resolved"] = sum(1 for f in linked_feedback if is_resolved(f))
        camp["resolution_rate"] = ratio(camp["issues_resolved"], camp["issues_total"])
        camp["goal_rate"] = ratio(camp.get("goal_actual"), camp.get("goal_target"))
        camp["budget_rate"] = ratio(camp.get("spent"), camp.get("budget"))
        live_tasks = [t for t in linked_tasks if t.get("status") != TASK_CANCELLED]
        camp["task_done_rate"] = ratio(sum(1 for t in live_tasks if t.get("status") == TASK_DONE), len(live_tasks))
        camp["tasks_overdue"] = sum(1 for t in linked_tasks if t.get("overdue") == TASK_OVERDUE_MARK)
