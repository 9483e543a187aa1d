"""Tiny builders of in-memory ``Book``s for the derive tests (no Excel involved)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from xlcrm.config import Config
from xlcrm.derive import Derived, derive
from xlcrm.model import Book, Row, SheetData, Snapshot
from xlcrm.schema import DATA_SHEETS

D = date.fromisoformat


def T(text: str) -> datetime:
    """A datetime from ``2024-06-01 09:30``."""
    return datetime.fromisoformat(text)


REJECTED = "_rejected"


def make_book(data: dict[str, list[dict[str, Any]]], history: list[Snapshot] | None = None) -> Book:
    """A book with all five data sheets; columns numbered in schema order, rows from 2.

    Each row is ``{field key: typed value}``; ``"_rejected": True`` marks a rejected row.
    """
    book = Book(history=list(history or []))
    for kind in DATA_SHEETS:
        columns = {f.key: i for i, f in enumerate(kind.fields, start=1)}
        rows = []
        for number, values in enumerate(data.get(kind.key, []), start=2):
            values = dict(values)
            rejected = bool(values.pop(REJECTED, False))
            full = {f.key: values.get(f.key) for f in kind.input_fields}
            rows.append(Row(number=number, values=full, raw=dict(full), rejected=rejected))
        book.sheets[kind.key] = SheetData(kind=kind, name=kind.name, header_row=1, columns=columns, rows=rows)
        book.sheet_names.append(kind.name)
    return book


_serial = iter(range(1, 10**6))


def customer(**kw: Any) -> dict[str, Any]:
    """A valid 已合作 customer created 2024-01-01; keyword arguments override any field."""
    base: dict[str, Any] = {
        "customer_id": f"KH2024{next(_serial):04d}",
        "name": "测试客户有限公司",
        "industry": "制造业",
        "contact": "张三",
        "phone": "13800000000",
        "stage": "已合作",
        "manager": "李经理",
        "created": D("2024-01-01"),
    }
    base.update(kw)
    return base


def followup(customer_id: str, at: str, **kw: Any) -> dict[str, Any]:
    """A valid 日常跟进 by phone at ``at`` (``2024-06-01`` or ``2024-06-01 10:00``)."""
    base: dict[str, Any] = {
        "followup_id": None,
        "customer_id": customer_id,
        "at": T(at if " " in at else at + " 10:00"),
        "channel": "电话",
        "kind": "日常跟进",
        "owner": "李经理",
        "content": "例行沟通近况与需求",
    }
    base.update(kw)
    return base


def feedback(customer_id: str, received: str, **kw: Any) -> dict[str, Any]:
    """A valid open 咨询 received at ``received`` (``2024-06-01 10:00``)."""
    base: dict[str, Any] = {
        "customer_id": customer_id,
        "received": T(received),
        "type": "咨询",
        "description": "询问产品使用问题",
        "assignee": "王工",
        "status": "处理中",
    }
    base.update(kw)
    return base


def campaign(campaign_id: str | None, start: str, end: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "campaign_id": campaign_id,
        "name": "客户关怀活动",
        "start": D(start),
        "end": D(end),
        "owner": "赵经理",
    }
    base.update(kw)
    return base


def task(campaign_id: str, due: str, status: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "campaign_id": campaign_id,
        "task": "准备物料",
        "owner": "钱",
        "due": D(due),
        "status": status,
    }
    base.update(kw)
    return base


def run(
    data: dict[str, list[dict[str, Any]]],
    as_of: str = "2024-06-30",
    config: Config | None = None,
    history: list[Snapshot] | None = None,
) -> Derived:
    """derive() over a book built from ``data``."""
    return derive(make_book(data, history), config or Config(), D(as_of))


def value(result: Derived, sheet: str, index: int, key: str) -> Any:
    """The computed value of the ``index``-th data row (0-based) of a sheet."""
    return result.values[sheet][index + 2][key]
