"""Snapshots of tier / value segment / risk per customer and 分层变动 (SPEC §2.7)."""

from __future__ import annotations

from datetime import date

from ..model import Snapshot
from .common import Record
from .vocab import CHANGE_ARROW


def previous_snapshots(history: list[Snapshot], as_of: date) -> dict[str, Snapshot]:
    """Per customer, its latest snapshot strictly before as-of (later history rows win ties)."""
    previous: dict[str, Snapshot] = {}
    for snap in history:
        if snap.as_of >= as_of:
            continue
        known = previous.get(snap.customer_id)
        if known is None or snap.as_of >= known.as_of:
            previous[snap.customer_id] = snap
    return previous


def change(old: str | None, new: str | None) -> str | None:
    """``old→new`` when both are known and differ, else None."""
    if old and new and old != new:
        return f"{old}{CHANGE_ARROW}{new}"
    return None


def apply_tier_changes(customers: list[Record], previous: dict[str, Snapshot]) -> None:
    """Set 分层变动 on every customer record (needs 客户分层)."""
    for c in customers:
        snap = previous.get(c["customer_id"])
        c["tier_change"] = change(snap.tier, c["tier"]) if snap else None


def snapshots_for(customers: list[Record], as_of: date) -> list[Snapshot]:
    """The rows to write into ``xlcrm_历史`` for this as-of, one per customer."""
    return [
        Snapshot(as_of, c["customer_id"], c.get("tier"), c.get("value_segment"), c.get("churn_risk"))
        for c in customers
        if c.get("customer_id")
    ]
