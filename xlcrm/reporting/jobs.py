"""Which reports a run produces, their contexts and file names (SPEC §5 ``report``).

``活动复盘_<活动编号>_<活动名称>.<ext>`` per campaign; ``月度复盘_<YYYY-MM>.<ext>`` for the team
and, by manager, ``月度复盘_<YYYY-MM>_<客户经理>.<ext>``. Names go through ``report_filename``, so
data such as ``../../etc/活动:*?`` always lands inside the output folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..config import Config
from ..derive import Derived
from ..derive.vocab import CAMPAIGN_REVIEWED, CAMPAIGN_TO_REVIEW
from ..errors import UsageError
from ..i18n import tr
from .campaign import campaign_context, rows_by_campaign
from .filenames import report_filename
from .monthly import Period, month_bounds, monthly_context

CAMPAIGN_PREFIX = "活动复盘"
MONTHLY_PREFIX = "月度复盘"


@dataclass(frozen=True)
class PlannedReport:
    """One report: its context and its file name stem parts (the extension is added per format)."""

    name_parts: tuple[str, ...]
    context: dict[str, Any]


REVIEWABLE = (CAMPAIGN_TO_REVIEW, CAMPAIGN_REVIEWED)


def campaigns_to_review(derived: Derived, only: str | None = None, include_all: bool = False) -> list[str]:
    """The campaigns a run reviews: 待复盘 and 已复盘 ones (sheet order); every one with
    ``include_all``; ``only`` whatever its state. An unknown ``only`` is a usage error."""
    ids = list(derived.campaigns)
    if only is not None:
        if only not in derived.campaigns:
            known = "、".join(ids[:20]) or tr("（无）", "(none)")
            raise UsageError(
                detail=tr(
                    "找不到活动编号 {i}；可用的活动编号：{k}", "unknown campaign {i}; known: {k}", i=only, k=known
                )
            )
        return [only]
    if include_all:
        return ids
    return [cid for cid in ids if derived.campaigns[cid].get("state") in REVIEWABLE]


def campaign_reports(
    derived: Derived, as_of: date, only: str | None = None, include_all: bool = False, config: Config | None = None
) -> list[PlannedReport]:
    """One report per campaign chosen by ``campaigns_to_review``."""
    cfg = config or Config()
    grouped = rows_by_campaign(derived.followup_rows), rows_by_campaign(derived.feedback_rows)  # once per batch
    return [
        PlannedReport(
            (CAMPAIGN_PREFIX, cid, str(derived.campaigns[cid].get("name") or "")),
            campaign_context(derived, cid, as_of, cfg, grouped),
        )
        for cid in campaigns_to_review(derived, only, include_all)
    ]


def managers_of(derived: Derived) -> list[str]:
    """Every 客户经理 with at least one customer, in first-appearance order."""
    return list(dict.fromkeys(str(c["manager"]) for c in derived.customers.values() if c.get("manager")))


def monthly_reports(
    derived: Derived,
    period: Period,
    as_of: date,
    by_manager: bool,
    derive_at: Callable[[date], Derived],
    config: Config | None = None,
) -> list[PlannedReport]:
    """The team report for ``period`` and, ``by_manager``, one per 客户经理.

    ``derive_at(day)`` runs the derive layer at another date; it is called once, at the month's
    last day when that is before as-of, for the customers overdue at month end.
    """
    month_end = month_bounds(period)[1]
    at_month_end = derive_at(month_end) if month_end < as_of else None
    label = f"{period[0]}-{period[1]:02d}"
    cfg = config or Config()
    reports = [PlannedReport((MONTHLY_PREFIX, label), monthly_context(derived, period, as_of, None, at_month_end, cfg))]
    if by_manager:
        for manager in managers_of(derived):
            ctx = monthly_context(derived, period, as_of, manager, at_month_end, cfg)
            reports.append(PlannedReport((MONTHLY_PREFIX, label, manager), ctx))
    return reports


def target_names(reports: Sequence[PlannedReport], ext: str) -> list[str]:
    """The file name of each report; names made unique (``_2``) if data collide."""
    used: set[str] = set()
    names = []
    for report in reports:
        name = report_filename(report.name_parts, ext)
        n = 2
        while name.lower() in used:
            name = report_filename((*report.name_parts, str(n)), ext)
            n += 1
        used.add(name.lower())
        names.append(name)
    return names


def target_paths(reports: Sequence[PlannedReport], folder: Path, ext: str) -> list[Path]:
    """The output file of each report in ``folder`` (``target_names``)."""
    paths = []
    for name in target_names(reports, ext):
        path = folder / name
        # report_filename yields one path component; this guards the promise anyway
        if path.resolve().parent != folder.resolve():
            raise UsageError(detail=f"unsafe report name {name!r}")
        paths.append(path)
    return paths
