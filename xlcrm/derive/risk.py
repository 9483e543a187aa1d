"""Per-customer feedback figures, satisfaction (SPEC §2.6) and 流失风险 with its reasons (§2.5)."""

from __future__ import annotations

from datetime import date, timedelta

from ..config import Config
from .common import Record, day_of, mean, ratio, round1
from .feedback import is_resolved
from .vocab import (
    FEEDBACK_COMPLAINT,
    REASON_CHURNED,
    REASON_COMPLAINT_BREACHED,
    REASON_COMPLAINTS,
    REASON_FOLLOWUP_OVERDUE,
    REASON_LOW_SATISFACTION,
    REASON_NO_PURCHASE,
    RISK_HIGH,
    RISK_LOW,
    RISK_MEDIUM,
    RISK_REASON_SEPARATOR,
    SLA_BREACHED,
    STAGE_CHURNED,
)


def _dated_within(records: list[Record], field: str, start: date, as_of: date) -> list[Record]:
    """The records whose ``field`` falls on a day from ``start`` to ``as_of`` inclusive."""
    kept = []
    for r in records:
        d = day_of(r.get(field))
        if d is not None and start <= d <= as_of:
            kept.append(r)
    return kept


def satisfaction_mean(followups: list[Record], feedback: list[Record], as_of: date, window_days: int) -> float | None:
    """Unrounded mean of the scores dated on or after as-of − window (and not after as-of)."""
    start = as_of - timedelta(days=window_days)
    dated = _dated_within(followups, "at", start, as_of) + _dated_within(feedback, "received", start, as_of)
    return mean(r["satisfaction"] for r in dated if r.get("satisfaction") is not None)


def risk_reasons(
    c: Record, complaints: list[Record], satisfaction: float | None, as_of: date, config: Config
) -> list[str]:
    """The reasons that apply, 已流失 first, then in SPEC §2.5 order."""
    reasons = [REASON_CHURNED] if c.get("stage") == STAGE_CHURNED else []
    last_purchase = day_of(c.get("last_purchase"))
    if last_purchase is not None and (as_of - last_purchase).days > config.risk_no_purchase_days:
        reasons.append(REASON_NO_PURCHASE)
    if c["complaints_90d"] >= config.risk_complaints_90d:
        reasons.append(REASON_COMPLAINTS)
    if c.get("overdue_days") is not None and c["overdue_days"] >= c["cadence_days"]:
        reasons.append(REASON_FOLLOWUP_OVERDUE)
    if satisfaction is not None and satisfaction < config.risk_low_satisfaction:
        reasons.append(REASON_LOW_SATISFACTION)
    if any(f.get("sla_status") == SLA_BREACHED for f in complaints):
        reasons.append(REASON_COMPLAINT_BREACHED)
    return reasons


def risk_level(reasons: list[str]) -> str:
    """高 for 已流失 or ≥ 2 reasons, 中 for one, 低 for none."""
    if REASON_CHURNED in reasons or len(reasons) >= 2:
        return RISK_HIGH
    return RISK_MEDIUM if reasons else RISK_LOW


def apply_risk(
    customers: list[Record],
    followups_by_customer: dict[str, list[Record]],
    feedback_by_customer: dict[str, list[Record]],
    as_of: date,
    config: Config,
) -> None:
    """Set 近90天投诉次数, 未结反馈数, 问题解决率, 满意度均分, 流失风险 and 风险原因 (needs cadence)."""
    complaint_start = as_of - timedelta(days=config.risk_complaint_window_days)
    for c in customers:
        cid = c["customer_id"]
        feedback = _dated_within(feedback_by_customer.get(cid, []), "received", date.min, as_of)
        complaints = [f for f in feedback if f.get("type") == FEEDBACK_COMPLAINT]
        resolved = sum(1 for f in feedback if is_resolved(f))
        c["complaints_90d"] = len(_dated_within(complaints, "received", complaint_start, as_of))
        c["open_feedback"] = len(feedback) - resolved
        c["resolution_rate"] = ratio(resolved, len(feedback))
        satisfaction = satisfaction_mean(
            followups_by_customer.get(cid, []), feedback, as_of, config.satisfaction_window_days
        )
        c["satisfaction_avg"] = round1(satisfaction)
        reasons = risk_reasons(c, complaints, satisfaction, as_of, config)
        c["risk_reason_list"] = reasons
        c["churn_risk"] = risk_level(reasons)
        c["risk_reasons"] = RISK_REASON_SEPARATOR.join(reasons) or None
