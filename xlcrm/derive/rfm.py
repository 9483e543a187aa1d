"""RFM scores and segments (SPEC §2.1), 价值分群 (§2.2), 合作年限 and R值."""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date

from ..config import Config
from ..schema.sheets import RFM_SEGMENTS
from .common import Record, day_of, round1
from .vocab import RFM_HIGH, RFM_LOW, VALUE_HIGH, VALUE_ORDINARY, VALUE_POTENTIAL, VALUE_PROSPECT, YES

SCORE_LEVELS = 5
# Means of money amounts carry float noise; a value equal to the mean must count as "high".
_REL_TOLERANCE = 1e-9


def tenure_years(first_deal: date | None, as_of: date) -> float | None:
    """(as-of − 首次合作日期) in days / 365, unrounded; None without 首次合作日期."""
    d = day_of(first_deal)
    return None if d is None else (as_of - d).days / 365


def recency_days(last_purchase: date | None, as_of: date) -> int | None:
    """Days since 最近消费日期."""
    d = day_of(last_purchase)
    return None if d is None else (as_of - d).days


def in_rfm_population(customer: Record) -> bool:
    """最近消费日期, 消费次数 and 消费金额 all filled and 消费次数 > 0."""
    return (
        customer.get("last_purchase") is not None
        and customer.get("monetary") is not None
        and customer.get("frequency") is not None
        and customer["frequency"] > 0
    )


def score(count: int, n: int) -> int:
    """ceil(5 × count / n) in integer arithmetic."""
    return -(-SCORE_LEVELS * count // n)


def ascending_scores(values: Sequence[float]) -> list[int]:
    """F and M: score from the number of population values ≤ x."""
    ordered = sorted(values)
    return [score(bisect_right(ordered, x), len(ordered)) for x in values]


def descending_scores(values: Sequence[float]) -> list[int]:
    """R: score from the number of population values ≥ x (fewer days is better)."""
    ordered = sorted(values)
    n = len(ordered)
    return [score(n - bisect_left(ordered, x), n) for x in values]


def threshold(values: Sequence[float], how: str) -> float:
    """The high/low boundary: population mean (default) or median."""
    return statistics.median(values) if how == "median" else math.fsum(values) / len(values)


def _at_least(x: float, bound: float) -> bool:
    return x >= bound - _REL_TOLERANCE * max(1.0, abs(bound))


def rfm_segment(r: float, f: float, m: float, bounds: tuple[float, float, float]) -> str:
    """RFM分群: R high when R ≤ bound, F and M high when ≥ bound; key letters in R F M order."""
    r_high = _at_least(bounds[0], r)
    f_high = _at_least(f, bounds[1])
    m_high = _at_least(m, bounds[2])
    key = "".join(RFM_HIGH if high else RFM_LOW for high in (r_high, f_high, m_high))
    return RFM_SEGMENTS[key]


def top_share_count(share: float, n: int) -> int:
    """ceil(share × n), immune to float noise (0.1 × 30 is 3, not 4)."""
    return math.ceil(round(share * n, 9))


def apply_rfm(customers: list[Record], as_of: date, config: Config) -> None:
    """Set 合作年限, R值, R/F/M分, RFM分群 and 价值分群 on every customer record."""
    for c in customers:
        c["tenure_years"] = round1(tenure_years(c.get("first_deal"), as_of))
        c["recency_days"] = recency_days(c.get("last_purchase"), as_of)
        c["r_score"] = c["f_score"] = c["m_score"] = c["rfm_segment"] = None
        c["value_segment"] = VALUE_PROSPECT
    population = [c for c in customers if in_rfm_population(c)]
    if not population:
        return
    rs = [c["recency_days"] for c in population]
    fs = [c["frequency"] for c in population]
    ms = [float(c["monetary"]) for c in population]
    bounds = (
        threshold(rs, config.rfm_threshold),
        threshold(fs, config.rfm_threshold),
        threshold(ms, config.rfm_threshold),
    )
    for c, r_sc, f_sc, m_sc in zip(
        population, descending_scores(rs), ascending_scores(fs), ascending_scores(ms), strict=True
    ):
        c["r_score"], c["f_score"], c["m_score"] = r_sc, f_sc, m_sc
        c["rfm_segment"] = rfm_segment(c["recency_days"], c["frequency"], float(c["monetary"]), bounds)
    _apply_value_segments(population, ms, as_of, config)


def _apply_value_segments(population: list[Record], ms: list[float], as_of: date, config: Config) -> None:
    """高价值: top ceil(share × n) by M (ties at the boundary in) with tenure ≥ minimum; then 潜力 / 一般."""
    k = top_share_count(config.high_value_top_share, len(population))
    boundary = sorted(ms, reverse=True)[k - 1] if k else math.inf
    for c, m in zip(population, ms, strict=True):
        tenure = tenure_years(c.get("first_deal"), as_of)
        if m >= boundary and tenure is not None and tenure >= config.high_value_min_tenure_years:
            c["value_segment"] = VALUE_HIGH
        elif c["f_score"] >= 4 and 2 <= c["m_score"] <= 4 and c.get("upsell_intent") == YES:
            c["value_segment"] = VALUE_POTENTIAL
        else:
            c["value_segment"] = VALUE_ORDINARY
