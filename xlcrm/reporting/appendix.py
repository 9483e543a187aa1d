"""The .xlsx appendix of a Word report: every long list the Word file shows only in part.

A Word report prints the first rows of a long list (``formatting.capped``) and names this file
for the rest; Markdown reports list everything and need no appendix. The file is new and small,
written with openpyxl's write-only mode: no staff workbook is read or changed here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ..schema import CUSTOMERS, FEEDBACK, FOLLOWUPS

# column headers of the row keys that report lists use, from the schema (the combined label
# ``customer`` is left out: 客户编号 and 客户名称 are separate columns)
_FROM_SCHEMA = {
    "feedback_id": (FEEDBACK, "feedback_id"),
    "customer_id": (CUSTOMERS, "customer_id"),
    "customer_name": (CUSTOMERS, "name"),
    "manager": (CUSTOMERS, "manager"),
    "tier": (CUSTOMERS, "tier"),
    "risk": (CUSTOMERS, "churn_risk"),
    "type": (FEEDBACK, "type"),
    "description": (FEEDBACK, "description"),
    "assignee": (FEEDBACK, "assignee"),
    "status": (FEEDBACK, "status"),
    "received": (FEEDBACK, "received"),
    "deadline": (FEEDBACK, "deadline"),
    "sla_status": (FEEDBACK, "sla_status"),
    "last_followup": (CUSTOMERS, "last_followup"),
    "next_due": (CUSTOMERS, "next_due"),
    "overdue_days": (CUSTOMERS, "overdue_days"),
    "next_deep_due": (CUSTOMERS, "next_deep_due"),
    "reasons": (CUSTOMERS, "risk_reasons"),
    "action": (FOLLOWUPS, "next_action"),
    "owner": (FOLLOWUPS, "owner"),
    "date": (FOLLOWUPS, "next_action_date"),
    "industry": (CUSTOMERS, "industry"),
    "created": (CUSTOMERS, "created"),
}
HEADERS = {key: kind.field(field).header for key, (kind, field) in _FROM_SCHEMA.items()} | {"since": "快照日期"}
SHEET_NAME_MAX = 31  # Excel's limit


def capped_lists(context: Any) -> Iterator[dict[str, Any]]:
    """Every list of ``context`` that a Word report shows only in part (``more`` is true)."""
    if isinstance(context, dict):
        if {"rows", "all", "more", "title"} <= context.keys():
            if context["more"]:
                yield context
            return
        for value in context.values():
            yield from capped_lists(value)
    elif isinstance(context, list):
        for value in context:
            yield from capped_lists(value)


def appendix_bytes(lists: list[dict[str, Any]]) -> bytes:
    """An .xlsx with one sheet per list (its title as the sheet name), headers in row 1."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for item in lists:
        name = item["title"][:SHEET_NAME_MAX]
        n = 2
        while name in used:
            name = f"{item['title'][: SHEET_NAME_MAX - 3]}_{n}"
            n += 1
        used.add(name)
        ws = wb.create_sheet(name)
        keys = [k for k in (item["all"][0] if item["all"] else {}) if k in HEADERS]
        ws.append([HEADERS[k] for k in keys])
        for row in item["all"]:
            ws.append([str(row.get(k, "")) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
