"""Small helpers shared by the rules: date/instant normalisation, means, ratios, rounding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..instants import start_instant

END_OF_DAY = time(23, 59, 59)
_TENTH = Decimal("0.1")

Record = dict[str, Any]


def day_of(value: date | datetime | None) -> date | None:
    """The calendar day of a date or datetime (None stays None)."""
    if value.__class__ is datetime:
        return value.date()  # type: ignore[union-attr]
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def instant_of(value: date | datetime | None) -> datetime | None:
    """A start time as an instant: a bare date is taken at 00:00 (see ``xlcrm.instants``)."""
    return start_instant(value)


def end_of_day(d: date) -> datetime:
    """The as-of instant: a datetime deadline is compared with 23:59:59 of the as-of day."""
    return datetime.combine(d, END_OF_DAY)


def round1(value: float | None) -> float | None:
    """Half-up rounding to one decimal (Excel-like 四舍五入, not banker's rounding)."""
    if value is None:
        return None
    return float(Decimal(repr(float(value))).quantize(_TENTH, rounding=ROUND_HALF_UP))


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, None for no values."""
    items = list(values)
    return sum(items) / len(items) if items else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator; None when either is blank or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def group_by(records: Iterable[Record], key: str) -> dict[Any, list[Record]]:
    """Records grouped by one field's value, row order kept; blank values are left out."""
    groups: dict[Any, list[Record]] = defaultdict(list)
    for rec in records:
        value = rec.get(key)
        if value is not None:
            groups[value].append(rec)
    return groups


def fill_customer_names(records: list[Record], customers_by_id: dict[str, Record]) -> None:
    """A blank 客户名称 takes the name of the referenced (valid) customer."""
    for rec in records:
        cid = rec.get("customer_id")
        customer = customers_by_id.get(cid) if cid is not None else None
        if rec.get("customer_name") is None and customer is not None:
            rec["customer_name"] = customer.get("name")
