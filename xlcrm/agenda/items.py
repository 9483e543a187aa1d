"""The agenda as value objects (SPEC §8): one frozen item type per section, people, the agenda.

Field names are the English keys of the JSON output; values are typed (``date``, ``datetime``,
``int``, ``float``, ``str`` or None). Renderers turn them into text, Markdown, JSON or cells.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class OverdueItem:
    """1. 逾期未跟进: a customer past its 下次跟进日期 (owner: 客户经理)."""

    customer_id: str | None
    name: str | None
    tier: str | None
    contact: str | None
    phone: str | None
    last_followup: date | None
    next_due: date | None
    overdue_days: int | None
    churn_risk: str | None
    manager: str | None


@dataclass(frozen=True)
class DueItem:
    """2. 今日及近期到期: due today or within the look-ahead; ``days_left`` 0 means today."""

    customer_id: str | None
    name: str | None
    tier: str | None
    contact: str | None
    phone: str | None
    last_followup: date | None
    next_due: date | None
    days_left: int
    followup_status: str | None
    churn_risk: str | None
    manager: str | None


@dataclass(frozen=True)
class DeepContactItem:
    """3. 深度沟通到期: 下次深度沟通日期 on or before as-of + N (negative ``days_left``: overdue)."""

    customer_id: str | None
    name: str | None
    tier: str | None
    contact: str | None
    phone: str | None
    next_deep_due: date | None
    days_left: int
    suggested_kind: str | None
    churn_risk: str | None
    manager: str | None


@dataclass(frozen=True)
class NextActionItem:
    """4. 待办下一步: a follow-up's planned next action (owner: each name in 跟进人)."""

    followup_id: str | None
    customer_id: str | None
    customer_name: str | None
    contact: str | None
    phone: str | None
    at: datetime | date | None
    next_action: str | None
    next_action_date: date | None
    days_left: int
    next_action_status: str | None
    owner: str | None


@dataclass(frozen=True)
class FeedbackItem:
    """5. 反馈将超时 / 已超时: open feedback near or past its 处理时限 (owner: 责任人).

    ``hours_left`` counts from the end of the as-of day (the instant 时效状态 is judged at);
    negative means overdue by that many hours.
    """

    feedback_id: str | None
    customer_id: str | None
    customer_name: str | None
    contact: str | None
    phone: str | None
    type: str | None
    complexity: str | None
    description: str | None
    received: datetime | date | None
    deadline: datetime | None
    hours_left: float | None
    sla_status: str | None
    status: str | None
    assignee: str | None


@dataclass(frozen=True)
class TaskItem:
    """6. 活动任务: a task overdue or due within the look-ahead (owner: 负责人)."""

    campaign_id: str | None
    campaign_name: str | None
    task: str | None
    phase: str | None
    due: date | None
    days_left: int
    status: str | None
    overdue: str | None
    owner: str | None


@dataclass(frozen=True)
class ReviewItem:
    """7. 待复盘活动: a finished campaign awaiting its review (owner: 负责人)."""

    campaign_id: str | None
    name: str | None
    end: date | None
    review_due: date | None
    days_left: int | None
    owner: str | None


Item = OverdueItem | DueItem | DeepContactItem | NextActionItem | FeedbackItem | TaskItem | ReviewItem

# section key → item type, in the order of SPEC §8
ITEM_TYPES: dict[str, type] = {
    "overdue": OverdueItem,
    "due": DueItem,
    "deep_contact": DeepContactItem,
    "next_actions": NextActionItem,
    "feedback": FeedbackItem,
    "tasks": TaskItem,
    "reviews": ReviewItem,
}
SECTION_KEYS: tuple[str, ...] = tuple(ITEM_TYPES)


def item_keys(section: str) -> tuple[str, ...]:
    """The field keys of a section's items, in order."""
    return tuple(f.name for f in fields(ITEM_TYPES[section]))


def item_dict(item: Any) -> dict[str, Any]:
    """An item as a plain dict (typed values)."""
    return asdict(item)


@dataclass(frozen=True)
class PersonAgenda:
    """One person's items, per section in SPEC order (every key present, maybe empty)."""

    name: str
    sections: tuple[tuple[str, tuple[Any, ...]], ...]

    def items(self, section: str) -> tuple[Any, ...]:
        """The items of one section (empty when none)."""
        return dict(self.sections).get(section, ())

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.sections)


@dataclass(frozen=True)
class Agenda:
    """Everyone's agenda at ``as_of``, looking ``days`` ahead; people sorted by name (pinyin)."""

    as_of: date
    days: int
    people: tuple[PersonAgenda, ...]
    # e.g. the calendar.fallback message when the next working day had to be guessed
    warnings: tuple[str, ...] = ()

    def person(self, name: str) -> PersonAgenda | None:
        """The agenda of ``name``, or None when that person has nothing to do."""
        return next((p for p in self.people if p.name == name), None)

    def only(self, name: str) -> Agenda:
        """The same agenda restricted to one person (for ``--by manager`` files)."""
        return Agenda(self.as_of, self.days, tuple(p for p in self.people if p.name == name), self.warnings)

    @property
    def count(self) -> int:
        return sum(p.count for p in self.people)
