"""Sample feedback (反馈处理): every 处理进度 with the fields its state requires (SPEC §1.3), and a
few planted rows so that every 时效状态 (both complexities) and 闭环状态 occurs (SPEC §2.8)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..config import Config
from ..schema.sheets import (
    COMPLEXITIES,
    CONFIRMATIONS,
    FEEDBACK_SOURCES,
    FEEDBACK_STATUSES,
    FEEDBACK_TYPES,
)
from . import texts
from .campaigns import CampaignCalendar
from .customers import Customer
from .followups import clock, with_time

PENDING, IN_PROGRESS, RESOLVED, CLOSED, REOPENED = FEEDBACK_STATUSES
INQUIRY, SUGGESTION, COMPLAINT = FEEDBACK_TYPES
SIMPLE, COMPLEX = COMPLEXITIES
SATISFIED, MOSTLY_SATISFIED, NEEDS_WORK = CONFIRMATIONS
SLA_HOURS = Config().sla_hours
SOURCE_WEIGHTS = (30, 15, 20, 15, 12, 8)


@dataclass
class Plan:
    """One feedback row to write: who, when, what, and how it went."""

    customer: Customer
    received: datetime
    type: str
    complexity: str
    status: str
    late: bool = False  # resolved after the SLA deadline
    confirm: str | None = None  # forced 客户确认结果


def make_feedback(
    rng: random.Random,
    customers: list[Customer],
    as_of: date,
    calendar: CampaignCalendar,
    assignees: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """Feedback rows (without 反馈编号) for customers with an ID."""
    with_id = [c for c in customers if c.has_id]
    plans = [p for c in with_id for p in _random_plans(rng, c, as_of)]
    plans += _planted(rng, with_id, as_of)
    rows = [_row(rng, p, as_of, calendar, assignees) for p in plans]
    for p in plans:
        if p.type == COMPLAINT and p.status not in (RESOLVED, CLOSED):
            p.customer.open_complaint = True
    return rows


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _status(rng: random.Random, age: int) -> str:
    if age <= 1:
        return rng.choices((PENDING, IN_PROGRESS, RESOLVED), weights=(35, 45, 20))[0]
    if age <= 14:
        return rng.choices(FEEDBACK_STATUSES, weights=(3, 6, 30, 54, 7))[0]
    return rng.choices(FEEDBACK_STATUSES, weights=(1, 2, 8, 84, 5))[0]


def _complexity(rng: random.Random, ftype: str) -> str:
    return COMPLEX if rng.random() < (0.4 if ftype == COMPLAINT else 0.15) else SIMPLE


def _random_plans(rng: random.Random, c: Customer, as_of: date) -> list[Plan]:
    count = (1 if rng.random() < 0.2 else 0) if c.profile == "prospect" else rng.choice((0, 1, 1, 1, 2, 2, 3))
    weights = (25, 15, 60) if c.unhappy else (40, 25, 35)
    plans: list[Plan] = []
    for _ in range(count):
        day = _day_between(rng, c.created, as_of)
        ftype = rng.choices(FEEDBACK_TYPES, weights=weights)[0]
        plans.append(
            Plan(
                c,
                clock(rng, day, 8, 20),
                ftype,
                _complexity(rng, ftype),
                _status(rng, (as_of - day).days),
                late=rng.random() < 0.25,
            )
        )
    if c.complainer:  # ≥ 2 complaints within 90 days: a churn-risk reason
        for _ in range(rng.randint(2, 3)):
            day = _day_between(rng, max(c.created, as_of - timedelta(days=85)), as_of - timedelta(days=1))
            day = min(day, as_of)
            plans.append(
                Plan(
                    c,
                    clock(rng, day, 8, 20),
                    COMPLAINT,
                    _complexity(rng, COMPLAINT),
                    _status(rng, (as_of - day).days),
                    late=rng.random() < 0.4,
                )
            )
    return plans


def _planted(rng: random.Random, customers: list[Customer], as_of: date) -> list[Plan]:
    """Rows that make every 时效状态 occur for both complexities, and every 闭环状态."""
    old = [c for c in customers if (as_of - c.created).days > 60]
    if not old:
        return []
    day = timedelta(days=1)
    plans: list[Plan] = []
    for cx in COMPLEXITIES:
        # 处理中: still within the deadline at the end of the as-of day
        fresh = as_of if cx == SIMPLE else as_of - day
        plans.append(
            Plan(
                rng.choice(old),
                clock(rng, fresh, 8, 10),
                rng.choice(FEEDBACK_TYPES),
                cx,
                PENDING if cx == SIMPLE else IN_PROGRESS,
            )
        )
        # 超时未解决: an open complaint long past its deadline
        stale = as_of - rng.randint(5, 30) * day
        plans.append(Plan(rng.choice(old), clock(rng, stale), COMPLAINT, cx, IN_PROGRESS))
        # 按时解决 (closed: 已闭环) and 超时解决 (resolved: 待客户确认)
        plans.append(Plan(rng.choice(old), clock(rng, as_of - rng.randint(3, 60) * day), INQUIRY, cx, CLOSED))
        plans.append(
            Plan(rng.choice(old), clock(rng, as_of - rng.randint(3, 60) * day), COMPLAINT, cx, RESOLVED, late=True)
        )
    # 需重新处理: reopened because the customer wants more done
    plans.append(
        Plan(
            rng.choice(old),
            clock(rng, as_of - rng.randint(5, 40) * day),
            COMPLAINT,
            COMPLEX,
            REOPENED,
            confirm=NEEDS_WORK,
        )
    )
    return plans


def _resolved_at(rng: random.Random, p: Plan, as_of: date) -> datetime:
    """Within the SLA, or after it when ``p.late`` and there was time; never after the as-of day."""
    sla = SLA_HOURS[p.complexity]
    cap = datetime.combine(as_of, time(23, 0))
    late = p.late and p.received + timedelta(hours=1.1 * sla) <= cap
    hours = rng.uniform(1.1 * sla, 3.5 * sla) if late else rng.uniform(0.5, 0.9 * sla)
    return with_time(min(p.received + timedelta(minutes=int(hours * 60)), cap))


def _row(
    rng: random.Random, p: Plan, as_of: date, calendar: CampaignCalendar, assignees: dict[str, list[str]]
) -> dict[str, Any]:
    c, ftype = p.customer, p.type
    department = rng.choice(texts.TYPE_DEPARTMENTS[ftype])
    running = calendar.on(p.received.date())
    campaign = rng.choice(running) if running and rng.random() < 0.2 else None
    row: dict[str, Any] = {
        "customer_id": c.row["customer_id"],
        "customer_name": c.name if rng.random() < 0.7 else None,
        "received": p.received,
        "source": rng.choices(FEEDBACK_SOURCES, weights=SOURCE_WEIGHTS)[0],
        "type": ftype,
        # blank means 一般 (SPEC §1.3); some staff leave it blank
        "complexity": None if p.complexity == SIMPLE and rng.random() < 0.2 else p.complexity,
        "description": rng.choice(texts.FEEDBACK_DESCRIPTIONS[ftype]).format(
            product=rng.choice(texts.PRODUCTS), n=rng.randint(2, 7)
        ),
        "expectation": rng.choice(texts.FEEDBACK_EXPECTATIONS[ftype]) if rng.random() < 0.8 else None,
        "department": department,
        "assignee": rng.choice(assignees[department]),
        "status": p.status,
        "campaign_id": campaign.campaign_id if campaign else None,
    }
    if p.status in (RESOLVED, CLOSED, REOPENED):
        row["resolution"] = rng.choice(texts.FEEDBACK_RESOLUTIONS[ftype])
    if p.status in (RESOLVED, CLOSED):
        row["resolved_at"] = _resolved_at(rng, p, as_of)
    if p.status == CLOSED:
        confirm = SATISFIED if rng.random() < (0.3 if c.unhappy else 0.65) else MOSTLY_SATISFIED
        row["confirmation"] = confirm
        if rng.random() < 0.9:
            low, high = (85, 100) if confirm == SATISFIED else (65, 84)
            row["satisfaction"] = rng.randint(low, high) if not c.unhappy else rng.randint(50, 68)
    elif p.status == REOPENED:
        row["confirmation"] = p.confirm or (NEEDS_WORK if rng.random() < 0.8 else None)
        if row["confirmation"] and rng.random() < 0.8:
            row["satisfaction"] = rng.randint(25, 58)
    return {k: v for k, v in row.items() if v is not None}
