"""Feedback SLA and loop (SPEC §2.8): 处理时限, 处理时长, 时效状态, 闭环状态."""

from __future__ import annotations

from datetime import date, datetime

from ..config import Config
from ..instants import completion_instant
from .common import Record, end_of_day, instant_of, round1
from .vocab import (
    COMPLEXITY_NORMAL,
    CONFIRM_MOSTLY,
    CONFIRM_NEEDS_WORK,
    CONFIRM_SATISFIED,
    FEEDBACK_CLOSED,
    FEEDBACK_RESOLVED,
    LOOP_AWAITING_CONFIRMATION,
    LOOP_CLOSED,
    LOOP_OPEN,
    LOOP_REDO,
    RESOLVED_STATUSES,
    SLA_BREACHED,
    SLA_IN_PROGRESS,
    SLA_LATE,
    SLA_ON_TIME,
)
from .workdays import WorkCalendar, add_calendar_hours, add_work_hours

WORKDAY_CLOCK = "workday"


def is_resolved(row: Record) -> bool:
    """处理进度 已解决 or 已关闭."""
    return row.get("status") in RESOLVED_STATUSES


def sla_deadline(received: datetime, complexity: str | None, config: Config, cal: WorkCalendar) -> datetime:
    """接收时间 + SLA hours of the complexity (blank = 一般), on the calendar or working clock."""
    hours = config.sla_hours[complexity or COMPLEXITY_NORMAL]
    if config.sla_clock == WORKDAY_CLOCK:
        return add_work_hours(received, hours, cal)
    return add_calendar_hours(received, hours)


def handle_hours(row: Record) -> float | None:
    """解决时间 − 接收时间 in hours (unrounded) for a resolved row, else None; a date-only
    解决时间 counts as the end of its day (SPEC §2), so the duration is never negative."""
    start, end = instant_of(row.get("received")), completion_instant(row.get("resolved_at"))
    if not is_resolved(row) or start is None or end is None:
        return None
    return (end - start).total_seconds() / 3600


def sla_status(row: Record, deadline: datetime, as_of_instant: datetime) -> str:
    """Resolved: 按时解决 / 超时解决 by 解决时间; open: 超时未解决 once the deadline is past."""
    resolved_at = completion_instant(row.get("resolved_at"))
    if is_resolved(row) and resolved_at is not None:
        return SLA_ON_TIME if resolved_at <= deadline else SLA_LATE
    return SLA_BREACHED if deadline < as_of_instant else SLA_IN_PROGRESS


def loop_status(status: str | None, confirmation: str | None) -> str:
    """First match: 需重新处理, 已闭环, 待客户确认, 未闭环."""
    if confirmation == CONFIRM_NEEDS_WORK:
        return LOOP_REDO
    if status == FEEDBACK_CLOSED and confirmation in (CONFIRM_SATISFIED, CONFIRM_MOSTLY):
        return LOOP_CLOSED
    if status == FEEDBACK_RESOLVED:
        return LOOP_AWAITING_CONFIRMATION
    return LOOP_OPEN


def apply_feedback_rows(rows: list[Record], as_of: date, config: Config, cal: WorkCalendar) -> None:
    """Set 处理时限, 处理时长(小时), 时效状态 and 闭环状态 on every feedback record."""
    as_of_instant = end_of_day(as_of)
    for r in rows:
        received = instant_of(r.get("received"))
        deadline = sla_deadline(received, r.get("complexity"), config, cal) if received else None
        r["deadline"] = deadline
        r["handle_hours"] = round1(handle_hours(r))
        r["sla_status"] = sla_status(r, deadline, as_of_instant) if deadline else None
        r["loop_status"] = loop_status(r.get("status"), r.get("confirmation"))
