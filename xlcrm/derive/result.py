"""``Derived``: everything the derive layer computed for one as-of, for writers and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import CellUpdate, FillRecord, SheetUpdates, Snapshot
from ..schema import DATA_SHEETS
from .common import Record


@dataclass
class Derived:
    """The computed state of a workbook at ``as_of``.

    ``values``: sheet key → Excel row → field key → value, for every computed field of every
    row (None = blank; rejected rows get only None), plus ``fill_when_blank`` fields and own IDs
    only where the staff cell was blank and a value was found. Read-only: rows with the same
    values and nothing filled share one dict.

    The lookups hold input and computed fields by field key (plus ``row``, the Excel row
    number) for valid rows only, so reports never recompute a rule:
    ``customers`` (customer_id →, also ``risk_reason_list``), ``campaigns`` (campaign_id →),
    ``followup_rows``, ``feedback_rows``, ``task_rows`` (lists in sheet order), and
    ``previous_snapshots`` (customer_id → latest snapshot strictly before ``as_of``).

    ``fills`` are this run's ``xlcrm_填写`` records (what enrich wrote into fill-when-blank input
    cells, kept while the cell still holds it); ``refresh`` the (sheet, row, field) input cells
    that hold enrich's earlier value and may be overwritten.
    """

    as_of: date
    values: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)
    filled_ids: list[CellUpdate] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    customers: dict[str, Record] = field(default_factory=dict)
    campaigns: dict[str, Record] = field(default_factory=dict)
    followup_rows: list[Record] = field(default_factory=list)
    feedback_rows: list[Record] = field(default_factory=list)
    task_rows: list[Record] = field(default_factory=list)
    previous_snapshots: dict[str, Snapshot] = field(default_factory=dict)
    fills: list[FillRecord] = field(default_factory=list)
    refresh: set[tuple[str, int, str]] = field(default_factory=set)

    def updates(self) -> list[CellUpdate]:
        """Every value as a cell update, in sheet order, then row, then field."""
        return list(self.sheet_updates())

    def sheet_updates(self) -> SheetUpdates:
        """The same updates grouped per sheet and row, without building one object per cell
        (what the patching writer consumes)."""
        return SheetUpdates(self.values, self.refresh, tuple(kind.key for kind in DATA_SHEETS))

    def drop_lookups(self) -> None:
        """Let go of the lookup records (``customers`` … ``task_rows``: every valid row with its
        computed fields). ``derive(lookups=False)`` does this for enrich: its writer and summary
        need only ``values``, the IDs, snapshots, fills and warnings."""
        self.customers, self.campaigns = {}, {}
        self.followup_rows, self.feedback_rows, self.task_rows = [], [], []

    def followups_of(self, customer_id: str) -> list[Record]:
        """The valid follow-up records of one customer, in sheet order."""
        return [f for f in self.followup_rows if f.get("customer_id") == customer_id]

    def feedback_of(self, customer_id: str) -> list[Record]:
        """The valid feedback records of one customer, in sheet order."""
        return [f for f in self.feedback_rows if f.get("customer_id") == customer_id]

    def tasks_of(self, campaign_id: str) -> list[Record]:
        """The valid task records of one campaign, in sheet order."""
        return [t for t in self.task_rows if t.get("campaign_id") == campaign_id]
