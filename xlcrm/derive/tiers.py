"""客户分层 (SPEC §2.3) and the cadence that follows from it."""

from __future__ import annotations

from ..config import Config
from .common import Record
from .vocab import SCALE_LARGE, STAGE_ACTIVE, TIER_A, TIER_B, TIER_C, VALUE_HIGH


def customer_tier(customer: Record) -> str:
    """手工分层 when set; else A for 高价值; B for 已合作 with ≥ 2 purchases or 大型; else C."""
    if customer.get("tier_override"):
        return str(customer["tier_override"])
    if customer.get("value_segment") == VALUE_HIGH:
        return TIER_A
    frequency = customer.get("frequency")
    if customer.get("stage") == STAGE_ACTIVE and (
        (frequency is not None and frequency >= 2) or customer.get("scale") == SCALE_LARGE
    ):
        return TIER_B
    return TIER_C


def apply_tiers(customers: list[Record], config: Config) -> None:
    """Set 客户分层 and 跟进周期(天) on every customer record (needs 价值分群 first)."""
    for c in customers:
        c["tier"] = customer_tier(c)
        c["cadence_days"] = config.cadence_days[c["tier"]]
