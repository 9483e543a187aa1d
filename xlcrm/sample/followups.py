"""Sample follow-ups (跟进记录): each customer's latest follow-up is placed so that its 跟进状态
(SPEC §2.4) is a chosen one, so every status occurs."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from ..config import Config
from ..schema.sheets import AUDIENCES, CHANNELS, FOLLOWUP_STATUSES, MOODS, TIERS
from . import texts
from .campaigns import Campaign, CampaignCalendar
from .customers import Customer
from .texts import CAMPAIGN_TOUCH, COMPLAINT_VISIT, DEEP, DISCOVERY, INFO_UPDATE, ROUTINE, SENIOR

PHONE, VISIT, MAIL, WECHAT, VIDEO, OTHER_CHANNEL = CHANNELS
HAPPY, NEUTRAL, UNHAPPY, WORRIED = MOODS
S_OVERDUE, S_TODAY, S_SOON, S_NORMAL = FOLLOWUP_STATUSES
TIER_A, TIER_B, TIER_C = TIERS
AUD_ALL, AUD_A, AUD_B, AUD_C, AUD_HIGH_VALUE, AUD_POTENTIAL, AUD_AT_RISK = AUDIENCES

_DEFAULTS = Config()
CADENCE = _DEFAULTS.cadence_days
DUE_SOON = _DEFAULTS.due_soon_days
NO_FOLLOWUP_SHARE = 0.03  # customers (with an ID) never followed up: C tier, lost or paused only
CAMPAIGN_TOUCH_SHARE = 0.25  # of a customer's follow-ups while a campaign for its audience runs
OUTSIDE_AUDIENCE_SHARE = 0.02  # a campaign touch of a customer outside the audience (it happens)
STATUS_WEIGHTS = (35, 6, 17, 42)  # 已逾期 今日到期 即将到期 正常

KIND_WEIGHTS: dict[str, tuple[tuple[str, int], ...]] = {
    TIER_A: ((ROUTINE, 35), (DEEP, 12), (SENIOR, 12), (DISCOVERY, 15), (COMPLAINT_VISIT, 5), (INFO_UPDATE, 6)),
    TIER_B: ((ROUTINE, 45), (DEEP, 12), (SENIOR, 3), (DISCOVERY, 15), (COMPLAINT_VISIT, 5), (INFO_UPDATE, 8)),
    TIER_C: ((ROUTINE, 50), (DEEP, 5), (SENIOR, 1), (DISCOVERY, 15), (COMPLAINT_VISIT, 4), (INFO_UPDATE, 15)),
}
KIND_CHANNELS: dict[str, tuple[str, ...]] = {
    SENIOR: (VISIT, VISIT, VIDEO),
    DEEP: (VISIT, VIDEO, PHONE),
    INFO_UPDATE: (PHONE, WECHAT, MAIL),
    CAMPAIGN_TOUCH: (PHONE, WECHAT, MAIL, OTHER_CHANNEL),
    COMPLAINT_VISIT: (PHONE, VISIT),
    ROUTINE: (PHONE, PHONE, WECHAT, WECHAT, MAIL, VIDEO, OTHER_CHANNEL),
    DISCOVERY: (PHONE, VISIT, WECHAT, VIDEO),
}
SCORES: dict[str, tuple[int, int]] = {HAPPY: (82, 100), NEUTRAL: (62, 84), WORRIED: (45, 72), UNHAPPY: (15, 55)}
UNHAPPY_SCORES: dict[str, tuple[int, int]] = {WORRIED: (40, 58), UNHAPPY: (15, 52)}


def clock(rng: random.Random, day: date, first_hour: int = 8, last_hour: int = 19) -> datetime:
    """A time of day on ``day`` within working-ish hours, to 5 minutes."""
    return datetime.combine(day, time(rng.randint(first_hour, last_hour), rng.randrange(0, 60, 5)))


def make_followups(
    rng: random.Random, customers: list[Customer], as_of: date, calendar: CampaignCalendar, colleagues: list[str]
) -> list[dict[str, Any]]:
    """Follow-up rows (without 记录编号) for customers with an ID, in no particular order."""
    eligible = [c for c in customers if c.has_id]
    # nobody would leave a cooperating B/A customer unreached for a year: only C tier, lost, paused
    quiet = [c for c in eligible if c.tier == TIER_C or c.profile in ("lost", "paused")]
    silent = {c.index for c in rng.sample(quiet, min(len(quiet), round(NO_FOLLOWUP_SHARE * len(eligible))))}
    followed = [c for c in eligible if c.index not in silent]
    order = list(range(len(followed)))
    rng.shuffle(order)
    targets: dict[int, str] = {}
    per_tier: dict[str, int] = {}
    for i in order:  # the first customers of each tier get each status, the rest at random
        rank = per_tier[followed[i].tier] = per_tier.get(followed[i].tier, -1) + 1
        targets[i] = (
            FOLLOWUP_STATUSES[rank]
            if rank < len(FOLLOWUP_STATUSES)
            else rng.choices(FOLLOWUP_STATUSES, weights=STATUS_WEIGHTS)[0]
        )
    rows: list[dict[str, Any]] = []
    for i, c in enumerate(followed):
        rows += _customer_followups(rng, c, targets[i], as_of, calendar, colleagues)
    return rows


def _latest_day(rng: random.Random, c: Customer, status: str, as_of: date) -> tuple[date, date]:
    """(latest follow-up day, next due day) giving ``status``; falls back to 正常 when the
    customer is too new to be overdue."""
    cad = CADENCE[c.tier]
    if status == S_OVERDUE:
        offset = -rng.randint(1, cad - 1) if rng.random() < 0.6 else -rng.randint(cad, 2 * cad + 10)
    elif status == S_TODAY:
        offset = 0
    elif status == S_SOON:
        offset = rng.randint(1, DUE_SOON)
    else:
        offset = rng.randint(DUE_SOON + 1, cad)
    due = as_of + timedelta(days=offset)
    lo, hi = max(due - timedelta(days=cad), c.created), min(due, as_of)
    if lo > hi:
        return _latest_day(rng, c, S_NORMAL, as_of)
    natural = due - timedelta(days=cad)
    if natural >= c.created and rng.random() < 0.5:
        return natural, due
    return lo + timedelta(days=rng.randint(0, (hi - lo).days)), due


FOLLOWUPS_PER_CUSTOMER: dict[str, tuple[int, int]] = {TIER_A: (12, 18), TIER_B: (9, 14), TIER_C: (6, 11)}


def _count(rng: random.Random, c: Customer) -> int:
    return rng.randint(4, 9) if c.profile == "prospect" else rng.randint(*FOLLOWUPS_PER_CUSTOMER[c.tier])


def _customer_followups(
    rng: random.Random, c: Customer, status: str, as_of: date, calendar: CampaignCalendar, colleagues: list[str]
) -> list[dict[str, Any]]:
    latest, due = _latest_day(rng, c, status, as_of)
    span = (latest - c.created).days
    earlier = sorted(rng.sample(range(span), min(_count(rng, c) - 1, span)))
    days = [c.created + timedelta(days=d) for d in earlier] + [latest]
    rows = [_followup(rng, c, day, as_of, calendar, colleagues) for day in days]
    last = rows[-1]
    cadence_due = latest + timedelta(days=CADENCE[c.tier])
    if cadence_due > due:  # the plan date is what brings the due day forward
        _plan(rng, c, last, due)
    elif rng.random() < 0.5:
        _plan(rng, c, last, due + timedelta(days=rng.randint(0, 10)))
    else:
        last.pop("next_action", None)
        last.pop("next_action_date", None)
    return rows


def _plan(rng: random.Random, c: Customer, row: dict[str, Any], day: date) -> None:
    action = rng.choice(texts.NEXT_ACTIONS).format(product=rng.choice(texts.PRODUCTS))
    row["next_action"] = f"{day.month}月{day.day}日前{action}" if rng.random() < 0.5 else action
    row["next_action_date"] = day


def _mood(rng: random.Random, c: Customer) -> str | None:
    if rng.random() < 0.05:
        return None
    if c.unhappy:
        return rng.choice((UNHAPPY, WORRIED))
    return rng.choices(MOODS, weights=(55, 33, 4, 8))[0]


def campaign_touch(
    rng: random.Random, c: Customer, day: date, as_of: date, campaign: Campaign, colleagues: list[str]
) -> dict[str, Any]:
    """One 活动触达 follow-up of ``c`` for ``campaign`` on ``day``."""
    return _followup(rng, c, day, as_of, None, colleagues, campaign)


def _followup(
    rng: random.Random,
    c: Customer,
    day: date,
    as_of: date,
    calendar: CampaignCalendar | None,
    colleagues: list[str],
    forced: Campaign | None = None,
) -> dict[str, Any]:
    at = clock(rng, day)
    running = calendar.on(day) if calendar is not None else []
    fitting = [r for r in running if in_audience(c, r.row.get("audience"))]
    campaign = forced
    if campaign is not None:
        pass
    elif fitting and rng.random() < CAMPAIGN_TOUCH_SHARE:
        campaign = rng.choice(fitting)
    elif running and rng.random() < OUTSIDE_AUDIENCE_SHARE:
        campaign = rng.choice(running)
    kind = CAMPAIGN_TOUCH if campaign else rng.choices(*zip(*KIND_WEIGHTS[c.tier], strict=True))[0]
    mood = _mood(rng, c)
    product = rng.choice(texts.PRODUCTS)
    content = rng.choice(texts.FOLLOWUP_CONTENT[kind]).format(
        contact=c.contact.name,
        title=c.row["title"],
        product=product,
        n=rng.randint(2, 20),
        month=day.month % 12 + 1,
        pct=rng.choice((10, 15, 20, 30)),
        campaign=campaign.row["name"] if campaign else "",
    )
    if mood is not None:
        content += rng.choice(texts.MOOD_TAILS[mood])
    owner = c.manager
    if rng.random() < 0.12:
        owner += "、" + rng.choice([p for p in colleagues if p != c.manager])
    row: dict[str, Any] = {
        "customer_id": c.row["customer_id"],
        "customer_name": c.name if rng.random() < 0.75 else None,
        "at": at,
        "channel": rng.choice(KIND_CHANNELS[kind]),
        "kind": kind,
        "owner": owner,
        "content": content,
        "mood": mood,
        "customer_needs": rng.choice(texts.CUSTOMER_NEEDS[mood]) if mood and rng.random() < 0.6 else None,
        "campaign_id": campaign.campaign_id if campaign else None,
    }
    if mood is not None and rng.random() < 0.75:
        low, high = UNHAPPY_SCORES.get(mood, (40, 58)) if c.unhappy else SCORES[mood]
        row["satisfaction"] = rng.randint(low, high)
    if rng.random() < 0.65:
        _plan(rng, c, row, day + timedelta(days=rng.randint(2, 21)))
    row["recorded"] = _recorded(rng, at, as_of)
    return {k: v for k, v in row.items() if v is not None}


def in_audience(c: Customer, audience: str | None) -> bool:
    """Whether a campaign for ``audience`` (目标客群) would address ``c`` (by its expected tier and
    profile; 全部 leaves out lost customers)."""
    if audience in (None, AUD_ALL):
        return c.profile != "lost"
    if audience in (AUD_A, AUD_B, AUD_C):
        return c.tier == {AUD_A: TIER_A, AUD_B: TIER_B, AUD_C: TIER_C}[audience]
    if audience == AUD_HIGH_VALUE:
        return c.profile == "vip"
    if audience == AUD_POTENTIAL:
        return c.profile == "potential"
    return c.unhappy or c.complainer or c.profile in ("lost", "paused")  # 流失风险


def _recorded(rng: random.Random, at: datetime, as_of: date) -> datetime | None:
    """录入日期: mostly within 24 h, some days later, a few blank; never after the as-of day."""
    r = rng.random()
    if r < 0.03:
        return None
    minutes = rng.randint(10, 20 * 60) if r < 0.86 else rng.randint(25 * 60, 96 * 60)
    latest = datetime.combine(as_of, time(23, 30))
    return with_time(max(at, min(at + timedelta(minutes=minutes), latest)))


def with_time(value: datetime) -> datetime:
    """Never exactly midnight: a completion time at 00:00 reads as a date typed without a time
    (``value.date_only``), and the sample is meant to validate without warnings."""
    return value + timedelta(minutes=1) if value.time() == time() else value
