"""What happened after the campaigns and before today: goal figures consistent with the customers
a campaign reached, staff-typed target counts, and an earlier snapshot of tiers and risks.

Runs after the follow-ups exist, so a campaign's 实际值 of "N 客户数" never exceeds the customers it
reached, and its 目标客户数 (typed by staff for finished campaigns) counts only customers that
existed when it started.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from ..schema.sheets import CAMPAIGN_STATES, RISK_LEVELS, STAGES, TIERS, VALUE_SEGMENTS
from .campaigns import Campaign
from .customers import Customer
from .followups import campaign_touch, in_audience

NOT_STARTED, RUNNING, TO_REVIEW, REVIEWED = CAMPAIGN_STATES
RISK_HIGH, RISK_MEDIUM, RISK_LOW = RISK_LEVELS
TIER_A, TIER_B, TIER_C = TIERS
HIGH_VALUE, POTENTIAL, ORDINARY, PROSPECTIVE = VALUE_SEGMENTS
LOST_STAGE = STAGES[4]
COUNT_SUFFIX = "客户数"
EVERY_REACHED = ("触达", "观看", "参训")  # metrics that count the reached customers themselves
TIER_MOVE_SHARE = 0.12  # customers whose tier was different at the earlier snapshot
RISK_MOVE_SHARE = 0.15  # customers whose risk was different


REACH_SHARE = (0.55, 0.95)  # of its target list a finished campaign reached
# A campaign works through a list of at most this many customers of its audience (what a few
# colleagues can contact in a campaign's weeks): without it, a 10,000-customer sample's 400
# campaigns would each log touches with thousands of customers, 78 follow-ups a customer.
TARGET_LIST_MAX = 200


def target_list(camp: Campaign, audience: list[Customer]) -> list[Customer]:
    """The customers a campaign works through: its whole audience, or a fixed sample of it (the
    same whichever step asks: seeded by the campaign's ID) when the audience is larger."""
    if len(audience) <= TARGET_LIST_MAX:
        return audience
    picked = set(random.Random(f"target-list-{camp.campaign_id}").sample(range(len(audience)), TARGET_LIST_MAX))
    return [c for i, c in enumerate(audience) if i in picked]


def _at_start(camp: Campaign, customers: list[Customer]) -> list[Customer]:
    """The campaign's target list among the customers that existed when it started."""
    existing = [c for c in customers if c.created <= camp.start and in_audience(c, camp.row.get("audience"))]
    return target_list(camp, existing)


def add_campaign_reach(
    rng: random.Random,
    campaigns: list[Campaign],
    customers: list[Customer],
    followups: list[dict[str, Any]],
    as_of: date,
    colleagues: list[str],
) -> None:
    """Add 活动触达 follow-ups so each started campaign reaches a plausible share of its audience
    (less for a running one, by the share of its days gone). A touch is only placed on or before
    the customer's latest follow-up, so every customer's 跟进状态 stays what was planned."""
    latest: dict[str, date] = {}
    for f in followups:
        cid, day = f["customer_id"], f["at"].date()
        latest[cid] = max(latest.get(cid, day), day)
    reached: dict[str, set[str]] = {}
    for f in followups:
        if f.get("campaign_id"):
            reached.setdefault(f["campaign_id"], set()).add(f["customer_id"])
    for camp in campaigns:
        if camp.state == NOT_STARTED or not camp.campaign_id:
            continue
        last_day = min(camp.end, as_of)
        done = (last_day - camp.start).days + 1
        share = rng.uniform(*REACH_SHARE) * min(1.0, done / ((camp.end - camp.start).days + 1))
        audience = [c for c in _at_start(camp, customers) if c.row.get("customer_id") in latest]
        have = reached.setdefault(camp.campaign_id, set())
        wanted = round(share * len(audience)) - len(have & {c.row["customer_id"] for c in audience})
        fresh = [c for c in audience if c.row["customer_id"] not in have]
        rng.shuffle(fresh)
        for c in fresh:
            if wanted <= 0:
                break
            end = min(last_day, latest[c.row["customer_id"]])
            if end < camp.start:
                continue
            day = camp.start + timedelta(days=rng.randint(0, (end - camp.start).days))
            followups.append(campaign_touch(rng, c, day, as_of, camp, colleagues))
            have.add(c.row["customer_id"])
            wanted -= 1


def align_goals(
    rng: random.Random, campaigns: list[Campaign], customers: list[Customer], followups: list[dict[str, Any]]
) -> None:
    """Set 目标值 / 实际值 of customer-count goals from the customers reached, and the typed
    目标客户数 of finished campaigns from their target list at the start (``target_list``)."""
    reached: dict[str, set[str]] = {}
    for f in followups:
        if f.get("campaign_id"):
            reached.setdefault(f["campaign_id"], set()).add(f["customer_id"])
    for camp in campaigns:
        row = camp.row
        existing = _at_start(camp, customers)
        count = len(reached.get(camp.campaign_id or "", ()))
        finished = camp.state in (TO_REVIEW, REVIEWED)
        if finished:
            row["target_count"] = max(len(existing), count, 1)
        metric = str(row.get("goal_metric") or "")
        if not metric.endswith(COUNT_SUFFIX):
            continue
        if "goal_actual" not in row:  # planned only: a share of the audience
            row["goal_target"] = max(3, round(len(existing) * rng.uniform(0.3, 0.7)))
            continue
        share = 1.0 if any(word in metric for word in EVERY_REACHED) else rng.uniform(0.35, 0.8)
        actual = round(count * share)
        ratio = rng.uniform(0.6, 1.35) if finished else rng.uniform(0.3, 0.8)
        row["goal_actual"] = actual
        row["goal_target"] = max(1, round(actual / ratio)) if actual else max(3, round(len(existing) * 0.5))


def snapshot_day(as_of: date) -> date:
    """The earlier review day: the last day of the month before as-of's month."""
    first = as_of.replace(day=1)
    return first - timedelta(days=1)


def _earlier_tier(rng: random.Random, tier: str, pinned: bool) -> str:
    if pinned or rng.random() >= TIER_MOVE_SHARE:
        return tier
    # a newer big spender climbed; an occasional customer slipped back from B
    if tier == TIER_A:
        return TIER_B
    if tier == TIER_B:
        return TIER_C if rng.random() < 0.7 else TIER_A
    return TIER_B


def _earlier_risk(rng: random.Random, now: str, lost: bool) -> str:
    if lost or rng.random() >= RISK_MOVE_SHARE:
        return now
    if now == RISK_LOW:  # follow-ups brought it down
        return RISK_MEDIUM if rng.random() < 0.75 else RISK_HIGH
    return RISK_LOW if now == RISK_MEDIUM else RISK_MEDIUM  # complaints or silence made it rise


def current_state(rows: dict[str, list[dict[str, Any]]], as_of: date) -> dict[str, dict[str, Any]]:
    """Tier, 价值分群 and risk of each customer at ``as_of`` by the real rules (the derive layer on
    the sample rows, default config), keyed by 客户编号."""
    from ..config import Config
    from ..derive import derive
    from ..model import Book, Row, SheetData
    from ..schema import DATA_SHEETS

    book = Book()
    for kind in DATA_SHEETS:
        columns = {f.key: i for i, f in enumerate(kind.fields, start=1)}
        data = [Row(number, dict(r), dict(r)) for number, r in enumerate(rows[kind.key], start=2)]
        book.sheets[kind.key] = SheetData(kind, kind.name, 1, columns, data)
        book.sheet_names.append(kind.name)
    return derive(book, Config(), as_of).customers


def earlier_snapshot(rng: random.Random, rows: dict[str, list[dict[str, Any]]], as_of: date) -> list[dict[str, Any]]:
    """Rows of ``xlcrm_历史`` as an ``enrich`` run on the previous month's last day would have left
    them: every customer with an ID created by then, most as they are now, about one in eight with
    another tier and one in seven with another risk, so 客户关系状态变化 has movement to show."""
    day = snapshot_day(as_of)
    now = current_state(rows, as_of)
    typed = {c["customer_id"] for c in rows["customers"] if c.get("customer_id")}
    out = []
    for cid, c in now.items():
        created = c.get("created")
        if cid not in typed or created is None or created > day:
            continue
        tier = _earlier_tier(rng, str(c.get("tier") or TIER_C), bool(c.get("tier_override")))
        segment = str(c.get("value_segment") or ORDINARY)
        if tier != c.get("tier") and segment == HIGH_VALUE:
            segment = ORDINARY  # not yet 高价值 when it was not yet A
        risk = _earlier_risk(rng, str(c.get("churn_risk") or RISK_LOW), c.get("stage") == LOST_STAGE)
        out.append({"as_of": day, "customer_id": cid, "tier": tier, "value_segment": segment, "churn_risk": risk})
    return out


__all__ = ["align_goals", "earlier_snapshot", "snapshot_day"]
