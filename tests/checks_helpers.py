"""A small builder of in-memory ``Book`` values for the checks' tests.

Columns are numbered in schema order from column 1 (A), the header is row 1 and data rows start
at row 2, so cell addresses in the tests can be read off the schema. A value wrapped in
``Unreadable`` stands for a cell the reader could not coerce (typed value None, raw value kept);
a whitespace-only string is a blank cell as read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from xlcrm.issues import FileReport, Issue
from xlcrm.model import Book, Row, SheetData
from xlcrm.schema import DATA_SHEETS
from xlcrm.schema.sheets import (
    AUDIENCES,
    CHANNELS,
    COMPLEXITIES,
    CONFIRMATIONS,
    FEEDBACK_SOURCES,
    FEEDBACK_STATUSES,
    FEEDBACK_TYPES,
    FOLLOWUP_KINDS,
    FORMS,
    MOODS,
    PHASES,
    SCALES,
    SCENARIOS,
    STAGES,
    TASK_STATUSES,
    YES_NO,
)

AS_OF = date(2024, 6, 30)


@dataclass(frozen=True)
class Unreadable:
    """A cell the reader flagged (value.type / value.enum …): value None, raw non-blank."""

    raw: Any


def customer(**over: Any) -> dict[str, Any]:
    row = {
        "customer_id": "HXKJ20240001",
        "name": "华信科技有限公司",
        "short_name": "华信科技",
        "industry": "制造业",
        "scale": SCALES[0],
        "business": "工业传感器",
        "contact": "张伟",
        "title": "采购经理",
        "phone": "13800138000",
        "email": "zhangwei@huaxin.com",
        "stage": STAGES[2],
        "manager": "李娜",
        "created": date(2023, 3, 1),
        "first_deal": date(2023, 4, 1),
        "monetary": 120000.0,
        "frequency": 4,
        "last_purchase": date(2024, 5, 20),
        "upsell_intent": YES_NO[0],
    }
    return {**row, **over}


def followup(**over: Any) -> dict[str, Any]:
    row = {
        "followup_id": "GJ20240601001",
        "customer_id": "HXKJ20240001",
        "customer_name": "华信科技有限公司",
        "at": datetime(2024, 6, 1, 10, 0),
        "channel": CHANNELS[0],
        "kind": FOLLOWUP_KINDS[0],
        "owner": "李娜",
        "content": "电话沟通续约事宜，客户有意向",
        "customer_needs": "希望延长质保",
        "mood": MOODS[0],
        "satisfaction": 90.0,
        "next_action": "发送续约方案",
        "next_action_date": date(2024, 6, 5),
        "campaign_id": "HD2024001",
        "recorded": datetime(2024, 6, 1, 18, 0),
    }
    return {**row, **over}


def feedback(**over: Any) -> dict[str, Any]:
    row = {
        "feedback_id": "FK20240602001",
        "customer_id": "HXKJ20240001",
        "customer_name": "华信科技有限公司",
        "received": datetime(2024, 6, 2, 9, 0),
        "source": FEEDBACK_SOURCES[0],
        "type": FEEDBACK_TYPES[2],
        "complexity": COMPLEXITIES[0],
        "description": "发票抬头开错",
        "assignee": "王强",
        "status": FEEDBACK_STATUSES[3],
        "resolution": "已重新开具发票",
        "resolved_at": datetime(2024, 6, 2, 15, 0),
        "confirmation": CONFIRMATIONS[0],
        "satisfaction": 95.0,
        "campaign_id": "HD2024001",
    }
    return {**row, **over}


def campaign(**over: Any) -> dict[str, Any]:
    row = {
        "campaign_id": "HD2024001",
        "name": "618客户关怀",
        "scenario": SCENARIOS[1],
        "form": FORMS[2],
        "audience": AUDIENCES[0],
        "start": date(2024, 6, 1),
        "end": date(2024, 6, 20),
        "owner": "李娜",
        "budget": 5000.0,
        "spent": 4200.0,
        "goal_metric": "续约客户数",
        "goal_target": 15.0,
        "goal_actual": 18.0,
        "target_count": 20,
        "reviewed_on": date(2024, 6, 25),
    }
    return {**row, **over}


def task(**over: Any) -> dict[str, Any]:
    row = {
        "campaign_id": "HD2024001",
        "task": "准备关怀礼品清单",
        "phase": PHASES[0],
        "owner": "王强",
        "start": date(2024, 5, 25),
        "due": date(2024, 5, 31),
        "status": TASK_STATUSES[2],
        "done_on": date(2024, 5, 30),
    }
    return {**row, **over}


BASE_ROWS = {
    "customers": customer,
    "followups": followup,
    "feedback": feedback,
    "campaigns": campaign,
    "tasks": task,
}

# Own IDs of a second, otherwise identical row (so it is not a duplicate of the first).
SECOND_IDS = {
    "customers": {"customer_id": "HXKJ20240002"},
    "followups": {"followup_id": "GJ20240601002"},
    "feedback": {"feedback_id": "FK20240602002"},
    "campaigns": {"campaign_id": "HD2024002"},
    "tasks": {},
}

_ABSENT = object()


def make_row(number: int, data: dict[str, Any]) -> Row:
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, Unreadable):
            values[key], raw[key] = None, value.raw
        elif isinstance(value, str) and not value.strip():
            values[key], raw[key] = None, value
        else:
            values[key] = raw[key] = value
    return Row(number=number, values=values, raw=raw)


def make_book(drop: dict[str, tuple[str, ...]] | None = None, **sheets: Any) -> Book:
    """A Book with every data sheet. ``sheets[key]`` is a list of row dicts (default: one base
    row), or None for an absent sheet; ``drop[key]`` lists field keys whose column is absent."""
    book = Book()
    for kind in DATA_SHEETS:
        rows = sheets.get(kind.key, _ABSENT)
        if rows is None:
            continue
        if rows is _ABSENT:
            rows = [BASE_ROWS[kind.key]()]
        dropped = set((drop or {}).get(kind.key, ()))
        kept = [f for f in kind.fields if f.key not in dropped]
        columns = {f.key: i for i, f in enumerate(kept, start=1)}
        data = SheetData(kind=kind, name=kind.name, header_row=1, columns=columns)
        for number, row in enumerate(rows, start=2):
            data.rows.append(make_row(number, {k: v for k, v in row.items() if k in columns}))
        book.sheets[kind.key] = data
        book.sheet_names.append(kind.name)
    return book


def with_defect(sheet_key: str, **over: Any) -> Book:
    """The clean book plus, in sheet ``sheet_key``, a second row (row 3) carrying ``over``."""
    make = BASE_ROWS[sheet_key]
    return make_book(**{sheet_key: [make(), make(**{**SECOND_IDS[sheet_key], **over})]})


def flat(issues: list[Issue]) -> list[tuple[str | None, str | None, str, str]]:
    return FileReport("book.xlsx", issues).flatten()
