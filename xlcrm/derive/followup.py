"""Follow-up cadence per customer and the computed columns of 跟进记录 (SPEC §2.4, §1.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..config import Config
from ..instants import completion_instant, is_date_only
from .common import Record, day_of, fill_customer_names, group_by, instant_of
from .vocab import (
    DEEP_CONTACT_KINDS,
    FU_DUE_SOON,
    FU_DUE_TODAY,
    FU_NORMAL,
    FU_OVERDUE,
    NEXT_DONE,
    NEXT_OVERDUE,
    NEXT_TODO,
    NO,
    YES,
)


def followups_until(followups: list[Record], as_of: date) -> list[Record]:
    """The follow-ups that happened on or before the as-of day."""
    kept = []
    for f in followups:
        day = day_of(f.get("at"))
        if day is not None and day <= as_of:
            kept.append(f)
    return kept


def latest(followups: list[Record]) -> Record | None:
    """The follow-up with the latest 跟进时间; on a tie the later row in the sheet."""
    best: Record | None = None
    best_at: datetime | None = None
    for f in followups:
        at = f["at"]
        if at.__class__ is not datetime:
            at = instant_of(at)
        if best_at is None or (at is not None and at >= best_at):
            best, best_at = f, at
    return best


def next_follow_up_due(base: date, cadence: int, last: Record | None) -> date:
    """base + cadence, or the latest follow-up's 下一步计划日期 when earlier and not before it."""
    due = base + timedelta(days=cadence)
    if last is None:
        return due
    planned, held = day_of(last.get("next_action_date")), day_of(last.get("at"))
    if planned is not None and held is not None and held <= planned < due:
        return planned
    return due


def followup_status(due: date, as_of: date, due_soon_days: int) -> str:
    """已逾期 / 今日到期 / 即将到期 (due within ``due_soon_days``) / 正常."""
    if as_of > due:
        return FU_OVERDUE
    if as_of == due:
        return FU_DUE_TODAY
    if (due - as_of).days <= due_soon_days:
        return FU_DUE_SOON
    return FU_NORMAL


def done_by_customer(followups: list[Record], as_of: date) -> dict[str, list[Record]]:
    """The follow-ups not after as-of, grouped by 客户编号 (row order kept)."""
    return group_by(followups_until(followups, as_of), "customer_id")


def apply_cadence(customers: list[Record], done: dict[str, list[Record]], as_of: date, config: Config) -> None:
    """Set 最近跟进日期, 下次跟进日期, 跟进状态, 逾期天数 and 下次深度沟通日期 (needs 客户分层).

    ``done``: each customer's follow-ups not after as-of (``done_by_customer``).
    """
    for c in customers:
        done_here = done.get(c["customer_id"], [])
        last = latest(done_here)
        last_day = day_of(last["at"]) if last else None
        created = day_of(c.get("created"))
        base = last_day or created
        c["last_followup"] = last_day
        if base is None:  # no 建档日期 and no follow-up: a rejected row in practice
            c["next_due"] = c["followup_status"] = c["overdue_days"] = c["next_deep_due"] = None
            continue
        due = next_follow_up_due(base, c["cadence_days"], last)
        c["next_due"] = due
        c["followup_status"] = followup_status(due, as_of, config.due_soon_days)
        c["overdue_days"] = max(0, (as_of - due).days)
        deep = latest([f for f in done_here if f.get("kind") in DEEP_CONTACT_KINDS])
        deep_base = day_of(deep["at"]) if deep else created
        c["next_deep_due"] = deep_base + timedelta(days=config.deep_cycle_days[c["tier"]]) if deep_base else None


def recorded_in_time(at: datetime | None, recorded: datetime | None, limit: timedelta) -> str | None:
    """是 when 录入日期 − 跟进时间 ≤ ``limit``, 否 otherwise, None without 录入日期."""
    start, end = instant_of(at), completion_instant(recorded)
    if start is None or end is None:
        return None
    return YES if end - start <= limit else NO


def next_action_status(row: Record, latest_at: datetime | None, as_of: date) -> str | None:
    """已跟进 when the customer has a later follow-up, else 已逾期 when the plan date has passed,
    else 待办; None without 下一步计划日期."""
    planned = day_of(row.get("next_action_date"))
    if planned is None:
        return None
    at = instant_of(row["at"])
    if latest_at is not None and at is not None and latest_at > at:
        return NEXT_DONE
    return NEXT_OVERDUE if planned < as_of else NEXT_TODO


def apply_followup_rows(
    rows: list[Record],
    customers_by_id: dict[str, Record],
    done: dict[str, list[Record]],
    as_of: date,
    config: Config,
) -> None:
    """Set 客户分层, 录入及时, 下一步状态 and a blank 客户名称 on every follow-up record."""
    latest_at: dict[str, datetime | None] = {}
    for customer_id, done_here in done.items():
        last = latest(done_here)
        latest_at[customer_id] = instant_of(last["at"]) if last else None
    fill_customer_names(rows, customers_by_id)
    limit = timedelta(hours=config.record_in_time_hours)
    for f in rows:
        cid = f.get("customer_id")
        customer = customers_by_id.get(cid) if cid is not None else None
        f["customer_tier"] = customer["tier"] if customer else None
        at, recorded = f.get("at"), f.get("recorded")
        if at.__class__ is datetime and recorded.__class__ is datetime and not is_date_only(recorded):
            f["recorded_in_time"] = YES if recorded - at <= limit else NO  # the usual case, both with a time
        else:
            f["recorded_in_time"] = recorded_in_time(at, recorded, limit)
        f["next_action_status"] = next_action_status(f, latest_at.get(cid) if cid is not None else None, as_of)
