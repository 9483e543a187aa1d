"""Sample customers (客户信息): profiles that make every tier, value segment and risk occur."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..schema.sheets import SCALES, STAGES, TIERS, YES_NO
from . import names
from .names import Person
from .texts import STATUS_NOTES

LARGE, MEDIUM, SMALL, MICRO = SCALES
PROSPECT_STAGE, INTENT_STAGE, ACTIVE_STAGE, PAUSED_STAGE, LOST_STAGE = STAGES
TIER_A, TIER_B, TIER_C = TIERS
YES, NO = YES_NO

# Profiles and their share of the customers. vip: top spenders of long standing (高价值);
# vip_new: top spenders of less than a year (not 高价值); potential: frequent, mid spend, upsell
# intent (潜力); prospect: no purchases (outside the RFM population).
PROFILE_SHARES: tuple[tuple[str, float], ...] = (
    ("vip", 0.09),
    ("vip_new", 0.02),
    ("potential", 0.08),
    ("regular", 0.40),
    ("paused", 0.06),
    ("lost", 0.07),
    ("prospect", 0.28),
)
UNHAPPY_SHARE = 0.07  # low satisfaction (满意度偏低)
COMPLAINER_SHARE = 0.06  # ≥ 2 complaints within 90 days
PIN_SHARE = 0.03  # 手工分层


@dataclass
class Customer:
    """A sample customer: its output row plus what later generators need to know."""

    index: int
    row: dict[str, Any]
    profile: str
    contact: Person
    created: date
    unhappy: bool = False
    complainer: bool = False
    tier: str = TIER_C
    has_id: bool = True
    open_complaint: bool = False
    prefix: str = ""  # letters of the customer ID

    @property
    def name(self) -> str:
        return self.row["name"]

    @property
    def manager(self) -> str:
        return self.row["manager"]


def profile_deck(rng: random.Random, n: int) -> list[str]:
    """Exactly-proportioned profiles for ``n`` customers (each at least once from n ≥ 20), shuffled."""
    deck: list[str] = []
    for profile, share in PROFILE_SHARES:
        deck += [profile] * int(share * n)
    fillers = ("regular", "prospect")
    while len(deck) < n:
        deck.append(fillers[len(deck) % 2])
    if n >= 20:
        for profile, _ in PROFILE_SHARES:
            if profile not in deck:
                deck[deck.index("regular")] = profile
    rng.shuffle(deck)
    return deck


def _money(rng: random.Random, low: float, high: float, log: bool = False) -> float:
    value = math.exp(rng.uniform(math.log(low), math.log(high))) if log else rng.uniform(low, high)
    return round(value, 2)


def _purchases(rng: random.Random, profile: str) -> tuple[int | None, int | None, float | None, int | None]:
    """(first-deal age, 近12月消费次数, 近12月消费金额, last-purchase age) in days, by profile."""
    if profile == "prospect":
        return None, None, None, None
    if profile == "vip":
        fd = rng.randint(400, 2200)
        return fd, rng.randint(6, 24), _money(rng, 400_000, 2_500_000), rng.randint(1, 60)
    if profile == "vip_new":
        fd = rng.randint(60, 300)
        return fd, rng.randint(3, 12), _money(rng, 300_000, 1_200_000), rng.randint(1, min(45, fd))
    if profile == "potential":
        fd = rng.randint(90, 1500)
        return fd, rng.randint(14, 30), _money(rng, 30_000, 150_000), rng.randint(1, 30)
    if profile == "regular":
        fd = rng.randint(30, 1800)
        freq = 1 if rng.random() < 0.2 else rng.randint(2, 10)
        recent = rng.random() < 0.7
        lp = rng.randint(1, 80) if recent else rng.randint(91, 250)
        return fd, freq, _money(rng, 5_000, 250_000, log=True), min(lp, fd)
    # paused / lost: little or nothing bought within the last 12 months
    fd = rng.randint(400, 1800)
    freq = rng.choice((0, 1, 1, 2)) if profile == "paused" else rng.choice((0, 0, 1))
    if freq == 0:
        return fd, 0, 0.0, rng.randint(370, min(fd, 720))
    return fd, freq, _money(rng, 3_000, 60_000), rng.randint(95, 340)


def _scale(rng: random.Random, profile: str) -> str:
    if profile == "vip":
        return LARGE if rng.random() < 0.6 else MEDIUM
    if profile == "potential":
        return rng.choice((MEDIUM, SMALL))
    return rng.choices(SCALES, weights=(10, 35, 40, 15))[0]


def _stage(rng: random.Random, profile: str) -> str:
    if profile == "paused":
        return PAUSED_STAGE
    if profile == "lost":
        return LOST_STAGE
    if profile == "prospect":
        return rng.choice((PROSPECT_STAGE, INTENT_STAGE))
    return ACTIVE_STAGE


def _upsell(rng: random.Random, profile: str) -> str | None:
    if profile == "potential":
        return YES
    if profile == "prospect":
        return None
    if profile in ("paused", "lost"):
        return NO if rng.random() < 0.7 else None
    r = rng.random()
    return YES if r < 0.3 else NO if r < 0.85 else None


@dataclass(frozen=True)
class Company:
    name: str
    short: str
    prefix: str  # letters of the customer ID
    domain: str  # for e-mail addresses
    industry: names.Industry
    area_code: str


def _company(rng: random.Random, scale: str, used: set[str]) -> Company:
    """A company whose full name is unique among ``used``."""
    while True:
        city, area_code = rng.choice(names.CITIES)
        brand, brand_py = rng.choice(names.BRANDS)
        industry = rng.choice(names.INDUSTRIES)
        group = scale == LARGE and rng.random() < 0.4
        suffix = names.GROUP_SUFFIX if group else rng.choice(names.SUFFIXES)
        full = f"{city}{brand}{industry.word}{suffix}"
        if full not in used:
            used.add(full)
            break
    prefix = names.initials(f"{brand_py} {industry.pinyin}")
    style = rng.random()
    if style < 0.84:
        short = brand + industry.word
    elif style < 0.92:
        short, prefix = brand, names.initials(brand_py)
    else:
        short = prefix  # some teams write the Latin abbreviation
    compact = brand_py.replace(" ", "")
    r = rng.random()
    domain = (
        f"{compact}{industry.domain}.com" if r < 0.5 else f"{prefix.lower()}.com.cn" if r < 0.75 else f"{compact}.cn"
    )
    return Company(full, short, prefix, domain, industry, area_code)


def make_customers(rng: random.Random, n: int, as_of: date, managers: list[str]) -> list[Customer]:
    """``n`` customers with profiles, traits and pins; IDs and tiers are set later."""
    used: set[str] = set()
    customers: list[Customer] = []
    for index, profile in enumerate(profile_deck(rng, n)):
        scale = _scale(rng, profile)
        company = _company(rng, scale, used)
        contact = names.person(rng)
        fd_age, freq, monetary, lp_age = _purchases(rng, profile)
        if fd_age is None:
            created_age = rng.randint(2, 364)
        elif fd_age > 365:
            created_age = rng.randint(300, 364)  # old customer, entered when the workbook began
        else:
            created_age = min(364, fd_age + rng.randint(0, 60))
        created = as_of - timedelta(days=created_age)
        row: dict[str, Any] = {
            "name": company.name,
            "short_name": company.short,
            "industry": company.industry.label,
            "scale": scale,
            "business": rng.choice(company.industry.business),
            "contact": contact.name,
            "title": rng.choice(names.TITLES),
            "phone": names.landline(rng, company.area_code) if rng.random() < 0.2 else names.mobile(rng),
            "email": names.email(rng, contact, company.domain) if rng.random() < 0.85 else None,
            "stage": _stage(rng, profile),
            "manager": rng.choice(managers),
            "created": created,
            "first_deal": as_of - timedelta(days=fd_age) if fd_age is not None else None,
            "monetary": monetary,
            "frequency": freq,
            "last_purchase": as_of - timedelta(days=lp_age) if lp_age is not None else None,
            "upsell_intent": _upsell(rng, profile),
            "note": rng.choice(STATUS_NOTES) if rng.random() < 0.12 else None,
        }
        customers.append(Customer(index, row, profile, contact, created, prefix=company.prefix))
    _mark_traits(rng, customers, n)
    return customers


def _mark_traits(rng: random.Random, customers: list[Customer], n: int) -> None:
    active = [c for c in customers if c.profile != "prospect"]
    paying = [c for c in customers if c.row["frequency"]]
    for c in rng.sample(active, min(len(active), max(1, round(UNHAPPY_SHARE * n)))):
        c.unhappy = True
    for c in rng.sample(paying, min(len(paying), max(1, round(COMPLAINER_SHARE * n)))):
        c.complainer = True
    pins = max(3, round(PIN_SHARE * n)) if n >= 20 else 0
    offset = rng.randrange(len(TIERS))
    for k, c in enumerate(rng.sample(customers, pins)):
        c.row["tier_override"] = TIERS[(k + offset) % len(TIERS)]


def expected_tiers(customers: list[Customer], as_of: date, top_share: float = 0.10) -> None:
    """Set ``Customer.tier`` by SPEC §2.2/§2.3 (pin, else A for 高价值, else B, else C) so the
    follow-up generator can aim at each 跟进状态."""
    population = [
        c for c in customers if c.row["frequency"] and c.row["monetary"] is not None and c.row["last_purchase"]
    ]
    high: set[int] = set()
    if population:
        ranked = sorted((c.row["monetary"] for c in population), reverse=True)
        cut = ranked[math.ceil(top_share * len(population)) - 1]
        for c in population:
            fd = c.row["first_deal"]
            if c.row["monetary"] >= cut and fd is not None and (as_of - fd).days / 365 >= 1:
                high.add(c.index)
    for c in customers:
        row = c.row
        if row.get("tier_override"):
            c.tier = row["tier_override"]
        elif c.index in high:
            c.tier = TIER_A
        elif row["stage"] == ACTIVE_STAGE and ((row["frequency"] or 0) >= 2 or row["scale"] == LARGE):
            c.tier = TIER_B
        else:
            c.tier = TIER_C
