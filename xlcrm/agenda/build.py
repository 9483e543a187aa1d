"""``build_agenda``: the seven sections of SPEC §8 picked from the derive layer's results.

Every status, due date and deadline comes from ``xlcrm.derive`` (the same computations as
enrich); this module only selects, sorts and assigns items to people. No files, no clock.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from ..config import Config
from ..derive import Derived
from ..derive.common import Record, day_of, end_of_day, round1
from ..derive.feedback import is_resolved
from ..derive.vocab import (
    CAMPAIGN_TO_REVIEW,
    FU_OVERDUE,
    KIND_DEEP_TALK,
    KIND_INFO_UPDATE,
    KIND_SENIOR,
    NEXT_OVERDUE,
    NEXT_TODO,
    SLA_BREACHED,
    TASK_NOT_DUE,
    TASK_OVERDUE_MARK,
    TIER_A,
    TIER_B,
    TIER_C,
)
from ..derive.workdays import WorkCalendar
from ..model import Book
from .items import (
    SECTION_KEYS,
    Agenda,
    DeepContactItem,
    DueItem,
    FeedbackItem,
    NextActionItem,
    OverdueItem,
    PersonAgenda,
    ReviewItem,
    TaskItem,
)

# 跟进人 may name several people (SPEC §1.2): 、 , ， / and spaces separate them
_NAME_SEPARATORS = re.compile(r"[、,，/／\s]+")
UNASSIGNED = "（未指定）"
# the deep contact each tier is due for (seed 001): A senior-level, B deep talk, C information update
_DEEP_KIND = {TIER_A: KIND_SENIOR, TIER_B: KIND_DEEP_TALK, TIER_C: KIND_INFO_UPDATE}

Assigned = list[tuple[str, str, Any]]  # (person, section, item)


def split_names(text: Any) -> list[str]:
    """The people named in a 跟进人 cell, in order, without repeats (``李娜、王强`` → both)."""
    names = [n for n in _NAME_SEPARATORS.split(str(text or "").strip()) if n]
    return list(dict.fromkeys(names))


def _person(value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    return text or UNASSIGNED


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _sorted(records: Iterable[Record], key: Callable[[Record], Any]) -> list[Record]:
    return sorted(records, key=key)  # stable: ties keep sheet order


def _customer_facts(c: Record) -> dict[str, Any]:
    """What every customer item shows: who the customer is, how to reach them, risk and manager."""
    return {
        "customer_id": _text(c.get("customer_id")),
        "name": _text(c.get("name")),
        "tier": c.get("tier"),
        "contact": _text(c.get("contact")),
        "phone": _text(c.get("phone")),
        "churn_risk": c.get("churn_risk"),
        "manager": _text(c.get("manager")),
    }


def _customer_sections(derived: Derived, as_of: date, horizon: date) -> Assigned:
    """Sections 1–3 from the customers' 跟进状态, 下次跟进日期 and 下次深度沟通日期."""
    customers = list(derived.customers.values())
    out: Assigned = []

    def add(c: Record, section: str, item: Any) -> None:
        out.append((_person(c.get("manager")), section, item))

    overdue = [c for c in customers if c.get("followup_status") == FU_OVERDUE]
    for c in _sorted(overdue, lambda c: -(c.get("overdue_days") or 0)):
        add(
            c,
            "overdue",
            OverdueItem(
                **_customer_facts(c),
                last_followup=c.get("last_followup"),
                next_due=c.get("next_due"),
                overdue_days=c.get("overdue_days"),
            ),
        )
    due = [
        c
        for c in customers
        if c.get("followup_status") != FU_OVERDUE
        and c.get("next_due") is not None
        and as_of <= c["next_due"] <= horizon
    ]
    for c in _sorted(due, lambda c: c["next_due"]):
        add(
            c,
            "due",
            DueItem(
                **_customer_facts(c),
                last_followup=c.get("last_followup"),
                next_due=c["next_due"],
                days_left=(c["next_due"] - as_of).days,
                followup_status=c.get("followup_status"),
            ),
        )
    deep = [c for c in customers if c.get("next_deep_due") is not None and c["next_deep_due"] <= horizon]
    for c in _sorted(deep, lambda c: c["next_deep_due"]):
        add(
            c,
            "deep_contact",
            DeepContactItem(
                **_customer_facts(c),
                next_deep_due=c["next_deep_due"],
                days_left=(c["next_deep_due"] - as_of).days,
                suggested_kind=_DEEP_KIND.get(c.get("tier") or ""),
            ),
        )
    return out


def _next_actions(derived: Derived, as_of: date, horizon: date) -> Assigned:
    """Section 4: 下一步状态 已逾期, or 待办 planned within the look-ahead; one copy per 跟进人."""

    def wanted(f: Record) -> bool:
        status, planned = f.get("next_action_status"), day_of(f.get("next_action_date"))
        return status == NEXT_OVERDUE or (status == NEXT_TODO and planned is not None and planned <= horizon)

    out: Assigned = []
    rows = [f for f in derived.followup_rows if wanted(f)]
    for f in _sorted(rows, lambda f: day_of(f["next_action_date"])):
        customer = derived.customers.get(f.get("customer_id") or "", {})
        planned = day_of(f["next_action_date"])
        assert planned is not None  # both statuses need a plan date
        item = NextActionItem(
            _text(f.get("followup_id")),
            _text(f.get("customer_id")),
            _text(f.get("customer_name")),
            _text(customer.get("contact")),
            _text(customer.get("phone")),
            f.get("at"),
            _text(f.get("next_action")),
            planned,
            (planned - as_of).days,
            f.get("next_action_status"),
            _text(f.get("owner")),
        )
        for name in split_names(f.get("owner")) or [UNASSIGNED]:
            out.append((name, "next_actions", item))
    return out


def _feedback(derived: Derived, as_of: date, cal: WorkCalendar) -> Assigned:
    """Section 5: open feedback due by the end of the next working day, and every 超时未解决 one."""
    as_of_instant = end_of_day(as_of)
    limit = end_of_day(cal.next_workday(as_of))

    def wanted(r: Record) -> bool:
        deadline = r.get("deadline")
        if is_resolved(r) or not isinstance(deadline, datetime):
            return False
        return r.get("sla_status") == SLA_BREACHED or deadline <= limit

    out: Assigned = []
    for r in _sorted((r for r in derived.feedback_rows if wanted(r)), lambda r: r["deadline"]):
        customer = derived.customers.get(r.get("customer_id") or "", {})
        hours = round1((r["deadline"] - as_of_instant).total_seconds() / 3600)
        out.append(
            (
                _person(r.get("assignee")),
                "feedback",
                FeedbackItem(
                    _text(r.get("feedback_id")),
                    _text(r.get("customer_id")),
                    _text(r.get("customer_name")),
                    _text(customer.get("contact")),
                    _text(customer.get("phone")),
                    r.get("type"),
                    r.get("complexity"),
                    _text(r.get("description")),
                    r.get("received"),
                    r["deadline"],
                    hours,
                    r.get("sla_status"),
                    r.get("status"),
                    _text(r.get("assignee")),
                ),
            )
        )
    return out


def _tasks(derived: Derived, as_of: date, horizon: date) -> Assigned:
    """Section 6: tasks 已逾期, or not yet due (未到期) with 截止日期 within the look-ahead."""

    def wanted(t: Record) -> bool:
        due = day_of(t.get("due"))
        return t.get("overdue") == TASK_OVERDUE_MARK or (
            t.get("overdue") == TASK_NOT_DUE and due is not None and due <= horizon
        )

    out: Assigned = []
    for t in _sorted((t for t in derived.task_rows if wanted(t)), lambda t: day_of(t["due"])):
        campaign = derived.campaigns.get(t.get("campaign_id") or "", {})
        due = day_of(t["due"])
        assert due is not None
        out.append(
            (
                _person(t.get("owner")),
                "tasks",
                TaskItem(
                    _text(t.get("campaign_id")),
                    _text(campaign.get("name")),
                    _text(t.get("task")),
                    t.get("phase"),
                    due,
                    (due - as_of).days,
                    t.get("status"),
                    t.get("overdue"),
                    _text(t.get("owner")),
                ),
            )
        )
    return out


def _reviews(derived: Derived, as_of: date) -> Assigned:
    """Section 7: campaigns 待复盘 with their 复盘截止日期, earliest first."""
    waiting = [c for c in derived.campaigns.values() if c.get("state") == CAMPAIGN_TO_REVIEW]
    out: Assigned = []
    for c in _sorted(waiting, lambda c: (c.get("review_due") is None, c.get("review_due") or as_of)):
        review_due = c.get("review_due")
        days_left = (review_due - as_of).days if review_due is not None else None
        out.append(
            (
                _person(c.get("owner")),
                "reviews",
                ReviewItem(
                    _text(c.get("campaign_id")),
                    _text(c.get("name")),
                    day_of(c.get("end")),
                    review_due,
                    days_left,
                    _text(c.get("owner")),
                ),
            )
        )
    return out


def _pinyin_key(name: str) -> tuple[list[str], str]:
    from pypinyin import lazy_pinyin  # imported on first use: its dictionary is large

    return lazy_pinyin(name), name


def build_agenda(derived: Derived, book: Book | None, config: Config, as_of: date, days: int | None = None) -> Agenda:
    """What each person should do next at ``as_of``, looking ``days`` ahead (SPEC §8).

    ``days`` defaults to the config's ``agenda_days``. ``book`` is not read today (every value
    comes from ``derived``); it is accepted so callers pass the book the results belong to.
    People are sorted by the pinyin of their names; each has all seven sections in SPEC order.
    """
    del book  # the derive results carry everything the agenda shows
    days = config.agenda_days if days is None else days
    horizon = as_of + timedelta(days=days)
    cal = WorkCalendar.from_config(config)
    assigned = (
        _customer_sections(derived, as_of, horizon)
        + _next_actions(derived, as_of, horizon)
        + _feedback(derived, as_of, cal)
        + _tasks(derived, as_of, horizon)
        + _reviews(derived, as_of)
    )
    by_person: dict[str, dict[str, list[Any]]] = defaultdict(lambda: {key: [] for key in SECTION_KEYS})
    for person, section, item in assigned:
        by_person[person][section].append(item)
    people = tuple(
        PersonAgenda(name, tuple((key, tuple(sections[key])) for key in SECTION_KEYS))
        for name, sections in sorted(by_person.items(), key=lambda kv: _pinyin_key(kv[0]))
    )
    message = cal.uncovered_message()
    return Agenda(as_of, days, people, (message,) if message else ())
