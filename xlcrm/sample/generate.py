"""``generate_sample``: put customers, campaigns, follow-ups and feedback together and number them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime
from typing import Any

from ..schema.sheets import DEPARTMENTS, STAGES, STATUS_TAGS
from .campaigns import CampaignCalendar, make_campaigns
from .customers import Customer, expected_tiers, make_customers
from .feedback import make_feedback
from .followups import make_followups
from .names import distinct_people
from .outcomes import add_campaign_reach, align_goals, earlier_snapshot
from .texts import MARKETING_DEPT

PROSPECT_STAGE, INTENT_STAGE, ACTIVE_STAGE, PAUSED_STAGE, LOST_STAGE = STAGES
TAG_CLEAR_NEED, TAG_TO_SIGN, TAG_COMPLAINT, TAG_NORMAL = STATUS_TAGS
BLANK_ID_SHARE = 0.02  # own IDs left blank for enrich to fill (an info, not an error)


def generate_sample(
    n_customers: int, seed: int, as_of: date, *, with_history: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """Realistic sample rows per sheet key (customers, followups, feedback, campaigns, tasks).

    Each row maps input field keys to typed values (date, datetime, float, int, str); blank cells
    are omitted and computed columns are never present. ``with_history`` adds ``history``: the
    rows of the hidden ``xlcrm_历史`` sheet (``as_of``, ``customer_id``, ``tier``,
    ``value_segment``, ``churn_risk``) of an earlier review day, for the workbook writer to store. Pure: the same arguments give the same
    rows. The rows are valid for ``as_of`` (no errors, no warnings) and, from about 200 customers,
    make every enum value and every computed status of SPEC §2 occur.
    """
    if n_customers < 0:
        raise ValueError("n_customers must be >= 0")
    if isinstance(as_of, datetime):
        as_of = as_of.date()
    rng = random.Random(seed)
    taken: set[str] = set()
    managers = distinct_people(rng, rng.randint(5, 8), taken)
    staff = {dept: distinct_people(rng, 2, taken) for dept in DEPARTMENTS}
    everyone = managers + [p for people in staff.values() for p in people]

    customers = make_customers(rng, n_customers, as_of, managers)
    expected_tiers(customers, as_of)
    customers = _number_customers(rng, customers)
    campaigns = make_campaigns(rng, n_customers, as_of, managers[:3] + staff[MARKETING_DEPT], everyone)
    calendar = CampaignCalendar(campaigns, as_of)
    followups = make_followups(rng, customers, as_of, calendar, everyone)
    feedback = make_feedback(rng, customers, as_of, calendar, staff)
    add_campaign_reach(rng, campaigns, customers, followups, as_of, everyone)
    align_goals(rng, campaigns, customers, followups)
    for c in customers:
        _status_tag(rng, c)
    rows = {
        "customers": [_clean(c.row, "customer_id") for c in customers],
        "followups": _number(rng, followups, "at", "GJ", "followup_id"),
        "feedback": _number(rng, feedback, "received", "FK", "feedback_id"),
        "campaigns": [_clean(c.row, "campaign_id") for c in campaigns],
        "tasks": [_clean(t, "campaign_id") for c in campaigns for t in c.tasks],
    }
    if with_history:
        rows["history"] = earlier_snapshot(random.Random(f"{seed}-history"), rows, as_of)
    return rows


def _clean(row: dict[str, Any], first: str) -> dict[str, Any]:
    """The row without blanks, its ID column first."""
    out = {first: row[first]} if row.get(first) is not None else {}
    out.update((k, v) for k, v in row.items() if v is not None and k != first)
    return out


def _number_customers(rng: random.Random, customers: list[Customer]) -> list[Customer]:
    """Sort by 建档日期 and give IDs (prefix + year + serial per prefix and year), leaving a few
    recent prospects blank; those get no follow-ups or feedback (a blank ID cannot be referenced)."""
    ordered = sorted(customers, key=lambda c: (c.created, c.index))
    blanks = int(BLANK_ID_SHARE * len(customers))
    recent = sorted((c for c in customers if c.profile == "prospect"), key=lambda c: (-c.created.toordinal(), c.index))
    for c in rng.sample(recent[: blanks * 3], min(blanks, len(recent))):
        c.has_id = False
    serials: Counter[str] = Counter()
    for c in ordered:
        if c.has_id:
            key = f"{c.prefix}{c.created.year}"
            serials[key] += 1
            c.row["customer_id"] = f"{key}{serials[key]:04d}"
    return ordered


def _number(rng: random.Random, rows: list[dict[str, Any]], when: str, prefix: str, key: str) -> list[dict[str, Any]]:
    """Sort by time and give IDs (prefix + yyyymmdd + serial per day), leaving a few blank."""
    rows = sorted(rows, key=lambda r: (r[when], r["customer_id"]))
    blank = set(rng.sample(range(len(rows)), max(1, round(BLANK_ID_SHARE * len(rows))))) if len(rows) >= 20 else set()
    serials: Counter[str] = Counter()
    out = []
    for i, row in enumerate(rows):
        day = row[when].strftime("%Y%m%d")
        if i not in blank and serials[day] < 999:
            serials[day] += 1
            row = {key: f"{prefix}{day}{serials[day]:03d}", **row}
        out.append(row)
    return out


def _status_tag(rng: random.Random, c: Customer) -> None:
    stage, r = c.row["stage"], rng.random()
    tag: str | None
    if c.open_complaint:
        tag = TAG_COMPLAINT
    elif stage == INTENT_STAGE:
        tag = TAG_TO_SIGN if r < 0.5 else TAG_CLEAR_NEED
    elif stage == PROSPECT_STAGE:
        tag = TAG_CLEAR_NEED if r < 0.3 else None
    else:
        tag = TAG_NORMAL if r < 0.7 else None
    if tag is not None:
        c.row["status_tag"] = tag
