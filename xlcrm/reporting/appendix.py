"""The .xlsx appendix of a Word report: every long list the Word file shows only in part.

A Word report prints the first rows of a long list (``formatting.capped``) and names this file
for the rest; Markdown reports list everything and need no appendix. The file is new and small,
written with openpyxl's write-only mode: no staff workbook is read or changed here.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

# column headers of the row keys that report lists use (the combined label ``customer`` is left
# out: 客户编号 and 客户名称 are separate columns)
HEADERS = {
    "feedback_id": "反馈编号", "customer_id": "客户编号", "customer_name": "客户名称", "manager": "客户经理",
    "tier": "分层", "risk": "流失风险", "type": "类型", "description": "问题描述", "assignee": "责任人",
    "status": "处理进度", "received": "接收时间", "deadline": "处理时限", "sla_status": "时效状态",
    "last_followup": "最近跟进日期", "next_due": "下次跟进日期", "overdue_days": "逾期天数",
    "next_deep_due": "下次深度沟通日期", "reasons": "风险原因", "action": "下一步行动", "owner": "跟进人",
    "date": "计划日期", "since": "快照日期", "industry": "所属行业", "created": "建档日期",
}
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
            name = f"{item['title'][:SHEET_NAME_MAX - 3]}_{n}"
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
