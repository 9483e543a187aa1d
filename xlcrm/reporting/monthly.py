"""The 月度维护复盘 context (SPEC §6, seed 001 step 5): plain dicts of display text.

Counts and means group derived values by month; the rules themselves (overdue, SLA, risk, tier)
come from ``xlcrm.derive``. Overdue customers "at month end" come from a derive run at the month's
last day when the caller provides one (``at_month_end``); otherwise from the as-of state.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from ..config import Config
from ..derive import Derived
from ..derive.common import Record, day_of, mean, ratio, round1
from ..derive.feedback import is_resolved
from ..derive.vocab import (
    FU_OVERDUE,
    RISK_HIGH,
    RISK_MEDIUM,
    SLA_BREACHED,
    SLA_LATE,
    SLA_ON_TIME,
    STAGE_CHURNED,
    TIER_A,
    TIER_B,
    YES,
)
from ..schema.sheets import (
    CHANNELS,
    FEEDBACK_TYPES,
    FOLLOWUP_KINDS,
    RISK_LEVELS,
    SLA_STATUSES,
    TIERS,
    VALUE_SEGMENTS,
)
from .campaign import open_feedback_row
from .charts_spec import monthly_charts
from .formatting import BLANK, capped, counted, day, mean1, num, pct, text
from .people import customer_label, relation_changes

TREND_MONTHS = 12
Period = tuple[int, int]


def month_bounds(period: Period) -> tuple[date, date]:
    """First and last day of a (year, month)."""
    year, month = period
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def shift_month(period: Period, months: int) -> Period:
    """The (year, month) ``months`` after ``period`` (negative: before)."""
    index = period[0] * 12 + period[1] - 1 + months
    return index // 12, index % 12 + 1


def period_label(period: Period) -> str:
    return f"{period[0]}年{period[1]}月"


def _in(value: Any, period: Period) -> bool:
    d = day_of(value)
    first, last = month_bounds(period)
    return d is not None and first <= d <= last


def _customers(customers: list[Record], period: Period, derived: Derived) -> dict[str, Any]:
    new = [c for c in customers if _in(c.get("created"), period)]
    return {
        "total": len(customers),
        "by_tier": counted((c.get("tier") for c in customers), TIERS),
        "by_value": counted((c.get("value_segment") for c in customers), VALUE_SEGMENTS),
        "by_risk": counted((c.get("churn_risk") for c in customers), RISK_LEVELS),
        "new": [
            {
                "customer": customer_label(c, derived),
                "customer_id": text(c.get("customer_id")),
                "customer_name": text(c.get("name")),
                "manager": text(c.get("manager")),
                "industry": text(c.get("industry")),
                "created": day(c.get("created")),
                "tier": text(c.get("tier")),
            }
            for c in new
        ],
        "new_count": len(new),
    }


def _overdue_rows(source: Derived, scope: set[str]) -> list[dict[str, Any]]:
    late = [c for cid, c in source.customers.items() if cid in scope and c.get("followup_status") == FU_OVERDUE]
    late.sort(key=lambda c: -(c.get("overdue_days") or 0))
    return [
        {
            "customer": customer_label(c, source),
            "customer_id": text(c.get("customer_id")),
            "customer_name": text(c.get("name")),
            "manager": text(c.get("manager")),
            "tier": text(c.get("tier")),
            "last_followup": day(c.get("last_followup")),
            "next_due": day(c.get("next_due")),
            "overdue_days": num(c.get("overdue_days")),
        }
        for c in late
    ]


def _followups(
    rows: list[Record], scope: set[str], derived: Derived, at_month_end: Derived | None, period: Period
) -> dict[str, Any]:
    in_month = [f for f in rows if _in(f.get("at"), period)]
    marks = [f.get("recorded_in_time") for f in in_month if f.get("recorded_in_time") is not None]
    on_time = sum(1 for m in marks if m == YES)
    source = at_month_end if at_month_end is not None else derived
    overdue = _overdue_rows(source, scope)
    return {
        "total": len(in_month),
        "by_channel": counted((f.get("channel") for f in in_month), CHANNELS),
        "by_kind": counted((f.get("kind") for f in in_month), FOLLOWUP_KINDS),
        "recorded": len(marks),
        "recorded_in_time": on_time,
        "in_time_rate": pct(ratio(on_time, len(marks))),
        "overdue": overdue,
        "overdue_top": capped(overdue, "跟进逾期客户"),
        "overdue_count": len(overdue),
        "overdue_basis": day(source.as_of),
    }


def _feedback(rows: list[Record], period: Period, derived: Derived) -> dict[str, Any]:
    in_month = [f for f in rows if _in(f.get("received"), period)]
    resolved = [f for f in in_month if is_resolved(f)]
    decided = [f for f in in_month if f.get("sla_status") in (SLA_ON_TIME, SLA_LATE, SLA_BREACHED)]
    on_time = sum(1 for f in decided if f.get("sla_status") == SLA_ON_TIME)
    hours = [f["handle_hours"] for f in resolved if f.get("handle_hours") is not None]
    by_type = [
        {
            "label": kind,
            "count": sum(1 for f in in_month if f.get("type") == kind),
            "resolved": sum(1 for f in resolved if f.get("type") == kind),
        }
        for kind in FEEDBACK_TYPES
    ]
    open_rows = sorted((f for f in rows if not is_resolved(f)), key=lambda f: day_of(f.get("deadline")) or date.max)
    return {
        "received": len(in_month),
        "resolved": len(resolved),
        "rate": pct(ratio(len(resolved), len(in_month))),
        "on_time_rate": pct(ratio(on_time, len(decided))),
        "decided": len(decided),
        "on_time": on_time,
        "mean_hours": mean1(mean(hours)),
        "by_type": by_type,
        "by_department": counted(f.get("department") for f in in_month),
        "sla": counted((f.get("sla_status") for f in in_month), SLA_STATUSES),
        "open": [open_feedback_row(f, derived) for f in open_rows],
        "open_top": capped([open_feedback_row(f, derived) for f in open_rows], "未结与超时反馈"),
        "open_count": len(open_rows),
        "overdue_count": sum(1 for f in open_rows if f.get("sla_status") == SLA_BREACHED),
    }


def _scores(followups: list[Record], feedback: list[Record], period: Period) -> list[float]:
    return [f["satisfaction"] for f in followups if f.get("satisfaction") is not None and _in(f.get("at"), period)] + [
        f["satisfaction"] for f in feedback if f.get("satisfaction") is not None and _in(f.get("received"), period)
    ]


def _satisfaction(followups: list[Record], feedback: list[Record], period: Period) -> dict[str, Any]:
    now = mean(_scores(followups, feedback, period))
    before = mean(_scores(followups, feedback, shift_month(period, -1)))
    if now is None:
        delta = "本月无满意度评分"
    elif before is None:
        delta = "上月无满意度评分，无法比较"
    else:
        diff = round1(now - before) or 0.0
        moved = "持平" if diff == 0 else f"{'上升' if diff > 0 else '下降'} {mean1(abs(diff))} 分"
        delta = f"较上月（{mean1(before)} 分）{moved}"
    trend = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        month = shift_month(period, -back)
        scores = _scores(followups, feedback, month)
        trend.append(
            {
                "month": f"{month[0]}-{month[1]:02d}",
                "label": f"{month[1]}月",
                "mean": round1(mean(scores)),
                "count": len(scores),
            }
        )
    return {
        "count": len(_scores(followups, feedback, period)),
        "mean": mean1(now),
        "previous_mean": mean1(before),
        "delta": delta,
        "trend": trend,
    }


def _campaigns(derived: Derived, period: Period, scope: set[str], manager: str | None) -> dict[str, Any]:
    first, last = month_bounds(period)
    rows = []
    for cid, camp in derived.campaigns.items():
        start, end = day_of(camp.get("start")), day_of(camp.get("end"))
        if start is None or end is None or start > last or end < first:
            continue
        if (
            manager is not None
            and camp.get("owner") != manager
            and not any(f.get("customer_id") in scope for f in derived.followup_rows if f.get("campaign_id") == cid)
        ):
            continue
        rows.append(
            {
                "campaign_id": cid,
                "name": text(camp.get("name")),
                "owner": text(camp.get("owner")),
                "state": text(camp.get("state")),
                "start": day(start),
                "end": day(end),
                "reach": f"{num(camp.get('reached_count'))}/{num(camp.get('target_count'))}",
                "reach_rate": pct(camp.get("reach_rate")),
                "goal_rate": pct(camp.get("goal_rate")),
                "resolution_rate": pct(camp.get("resolution_rate")),
                "budget_rate": pct(camp.get("budget_rate")),
                "task_done_rate": pct(camp.get("task_done_rate")),
                "reach_value": camp.get("reach_rate"),
                "goal_value": camp.get("goal_rate"),
            }
        )
    return {"rows": rows}


def matters_next_month(c: Record, last_day: date) -> bool:
    """下月重点: not 已流失, tier A/B or risk 高/中, and due (or overdue) by the end of next month."""
    if c.get("stage") == STAGE_CHURNED:
        return False
    if c.get("tier") not in (TIER_A, TIER_B) and c.get("churn_risk") not in (RISK_HIGH, RISK_MEDIUM):
        return False
    due = day_of(c.get("next_due"))
    return due is not None and due <= last_day


def _focus_row(c: Record, derived: Derived) -> dict[str, str]:
    return {
        "customer": customer_label(c, derived),
        "customer_id": text(c.get("customer_id")),
        "customer_name": text(c.get("name")),
        "manager": text(c.get("manager")),
        "tier": text(c.get("tier")),
        "risk": text(c.get("churn_risk")),
        "next_due": day(c.get("next_due")),
        "next_deep_due": day(c.get("next_deep_due")),
        "reasons": text(c.get("risk_reasons")),
    }


def _next_month(
    customers: list[Record], period: Period, derived: Derived, open_rows: list[dict[str, str]]
) -> dict[str, Any]:
    coming = shift_month(period, 1)
    last_day = month_bounds(coming)[1]
    risk_rank = {RISK_HIGH: 0, RISK_MEDIUM: 1}
    due = sorted(
        (c for c in customers if matters_next_month(c, last_day)),
        key=lambda c: (day_of(c["next_due"]), risk_rank.get(c.get("churn_risk") or "", 2), c.get("tier") or ""),
    )
    risky = sorted(
        (c for c in customers if c.get("churn_risk") == RISK_HIGH and c.get("stage") != STAGE_CHURNED),
        key=lambda c: (-len(c.get("risk_reason_list") or ()), c.get("tier") or "", str(c.get("customer_id"))),
    )
    due_rows = [_focus_row(c, derived) for c in due]
    risky_rows = [_focus_row(c, derived) for c in risky]
    return {
        "label": period_label(coming),
        "due": due_rows,
        "due_top": capped(due_rows, "下月需跟进的重点客户"),
        "high_risk": risky_rows,
        "high_risk_top": capped(risky_rows, "高风险客户"),
        "open_feedback": open_rows,
        "open_feedback_top": capped(open_rows, "待处理反馈"),
    }


def _highlights(ctx: dict[str, Any]) -> list[str]:
    notes = [
        f"本月跟进 {ctx['followups']['total']} 次，录入及时率 {ctx['followups']['in_time_rate']}。",
        f"截至 {ctx['followups']['overdue_basis']} 有 {ctx['followups']['overdue_count']} 位客户跟进逾期。",
    ]
    fb = ctx["feedback"]
    if fb["received"]:
        notes.append(f"本月收到反馈 {fb['received']} 条，问题解决率 {fb['rate']}，按时率 {fb['on_time_rate']}。")
    if fb["overdue_count"]:
        notes.append(f"{fb['overdue_count']} 条反馈超时未解决，需优先处理。")
    notes.append(f"满意度：{ctx['satisfaction']['delta']}。")
    return notes


def monthly_context(
    derived: Derived,
    period: Period,
    as_of: date,
    manager: str | None = None,
    at_month_end: Derived | None = None,
    config: Config | None = None,
) -> dict[str, Any]:
    """Every section of the 月度维护复盘 for ``period`` (year, month); with ``manager`` only that
    客户经理's customers and their rows. ``at_month_end``: a ``Derived`` at the month's last day
    (when that is before as-of), for the customers overdue at month end."""
    customers = [c for c in derived.customers.values() if manager is None or c.get("manager") == manager]
    scope = {c["customer_id"] for c in customers}
    followups = [f for f in derived.followup_rows if f.get("customer_id") in scope]
    feedback = [f for f in derived.feedback_rows if f.get("customer_id") in scope]
    first, last = month_bounds(period)
    ctx: dict[str, Any] = {
        "kind": "monthly",
        "title": "月度维护复盘",
        "period": f"{period[0]}-{period[1]:02d}",
        "period_label": period_label(period),
        "month_start": day(first),
        "month_end": day(last),
        "manager": manager,
        "scope": f"客户经理：{manager}" if manager else "全团队",
        "subject": f"{period_label(period)}（{'客户经理 ' + manager if manager else '全团队'}）",
        "as_of": as_of.isoformat(),
        "customers": _customers(customers, period, derived),
        "followups": _followups(followups, scope, derived, at_month_end, period),
        "feedback": _feedback(feedback, period, derived),
        "satisfaction": _satisfaction(followups, feedback, period),
        "changes": relation_changes(customers, derived),
        "campaigns": _campaigns(derived, period, scope, manager),
    }
    ctx["next_month"] = _next_month(customers, period, derived, ctx["feedback"]["open"])
    ctx["highlights"] = _highlights(ctx)
    ctx["record_hours"] = num((config or Config()).record_in_time_hours)
    ctx["charts"] = monthly_charts(ctx)
    return ctx


__all__ = ["BLANK", "monthly_context", "month_bounds", "shift_month", "period_label"]
