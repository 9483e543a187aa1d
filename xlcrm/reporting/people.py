"""Customer labels and 客户关系状态变化 (tier and risk against the previous snapshot, SPEC §2.7)."""

from __future__ import annotations

from typing import Any

from ..derive import Derived
from ..derive.common import Record
from ..derive.snapshots import change
from ..schema.sheets import RISK_LEVELS, TIERS
from .formatting import BLANK, capped, day, text


def customer_label(row: Record, derived: Derived) -> str:
    """``客户名称（客户编号）`` of a follow-up/feedback row or a customer record."""
    cid = row.get("customer_id")
    customer = derived.customers.get(cid) if cid else None
    name = (row.get("customer_name") or row.get("name")) if customer is None else customer.get("name")
    if cid and name:
        return f"{name}（{cid}）"
    return text(name or cid)


def customer_name(row: Record, derived: Derived) -> str:
    """The customer's name of a follow-up/feedback row or a customer record (``—`` when unknown)."""
    cid = row.get("customer_id")
    customer = derived.customers.get(cid) if cid else None
    return text((row.get("customer_name") or row.get("name")) if customer is None else customer.get("name"))


def _direction(old: str | None, new: str | None, order: tuple[str, ...]) -> int:
    """-1 when ``new`` is better than ``old`` in ``order`` (best first), 1 when worse, else 0."""
    if old not in order or new not in order or old == new:
        return 0
    return -1 if order.index(new) < order.index(old) else 1


def relation_changes(customers: list[Record], derived: Derived) -> dict[str, Any]:
    """Tier and risk of ``customers`` now vs their latest snapshot before as-of.

    Rows list the customers whose tier or risk changed (``B→A``, ``高→低``); counts summarise
    the directions. ``has_history`` is False when none of them has an earlier snapshot.
    """
    rows = []
    counts = {"tier_up": 0, "tier_down": 0, "risk_up": 0, "risk_down": 0, "unchanged": 0, "no_history": 0}
    dates = []
    for c in customers:
        snap = derived.previous_snapshots.get(str(c.get("customer_id")))
        if snap is None:
            counts["no_history"] += 1
            continue
        dates.append(snap.as_of)
        tier_dir = _direction(snap.tier, c.get("tier"), TIERS)
        # RISK_LEVELS is 高, 中, 低: a later level is better, so the order is reversed
        risk_dir = _direction(snap.churn_risk, c.get("churn_risk"), tuple(reversed(RISK_LEVELS)))
        counts["tier_up"] += tier_dir < 0
        counts["tier_down"] += tier_dir > 0
        counts["risk_down"] += risk_dir < 0
        counts["risk_up"] += risk_dir > 0
        tier_change = change(snap.tier, c.get("tier"))
        risk_change = change(snap.churn_risk, c.get("churn_risk"))
        if not tier_change and not risk_change:
            counts["unchanged"] += 1
            continue
        rows.append(
            {
                "customer": customer_label(c, derived),
                "customer_id": text(c.get("customer_id")),
                "customer_name": text(c.get("name")),
                "manager": text(c.get("manager")),
                "tier": tier_change or text(c.get("tier")),
                "risk": risk_change or text(c.get("churn_risk")),
                "since": day(snap.as_of),
            }
        )
    return {
        "top": capped(rows, "客户关系状态变化"),
        "has_history": bool(dates),
        "snapshot_date": day(max(dates)) if dates else BLANK,
        "rows": rows,
        "total": len(customers),
        **counts,
    }
