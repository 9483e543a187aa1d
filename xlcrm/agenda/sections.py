"""The seven agenda sections' titles and columns (Chinese headers looked up in the schema), and
the display form of item values shared by the text and Markdown renderers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..schema import CAMPAIGNS, CUSTOMERS, FEEDBACK, FOLLOWUPS, TASKS, SheetKind
from .items import SECTION_KEYS, item_keys

BLANK = "—"
PERSON_HEADER = "人员"
DAYS_LEFT_HEADER = "剩余天数"
HOURS_LEFT_HEADER = "剩余小时"


@dataclass(frozen=True)
class Column:
    """One column of a section: the item's English key and its Chinese header."""

    key: str
    header: str


@dataclass(frozen=True)
class Section:
    """A section: English key, Chinese title, xlsx sheet name and columns in display order."""

    key: str
    title: str
    sheet_name: str
    columns: tuple[Column, ...]


def _columns(section: str, kind: SheetKind, extra: dict[str, str]) -> tuple[Column, ...]:
    headers = []
    for key in item_keys(section):
        if key in extra:
            headers.append(Column(key, extra[key]))
        else:
            headers.append(Column(key, kind.field(key).header))
    return tuple(headers)


def _customer_headers() -> dict[str, str]:
    return {"contact": CUSTOMERS.field("contact").header, "phone": CUSTOMERS.field("phone").header}


SECTIONS: tuple[Section, ...] = (
    Section("overdue", "逾期未跟进", "逾期未跟进", _columns("overdue", CUSTOMERS, {})),
    Section("due", "今日及近期到期", "今日及近期到期", _columns("due", CUSTOMERS, {"days_left": DAYS_LEFT_HEADER})),
    Section(
        "deep_contact",
        "深度沟通到期",
        "深度沟通到期",
        _columns("deep_contact", CUSTOMERS, {"days_left": DAYS_LEFT_HEADER, "suggested_kind": "建议沟通类型"}),
    ),
    Section(
        "next_actions",
        "待办下一步",
        "待办下一步",
        _columns("next_actions", FOLLOWUPS, {**_customer_headers(), "days_left": DAYS_LEFT_HEADER}),
    ),
    Section(
        "feedback",
        "反馈将超时 / 已超时",
        "反馈将超时或已超时",
        _columns("feedback", FEEDBACK, {**_customer_headers(), "hours_left": HOURS_LEFT_HEADER}),
    ),
    Section(
        "tasks",
        TASKS.name,
        TASKS.name,
        _columns("tasks", TASKS, {"campaign_name": CAMPAIGNS.field("name").header, "days_left": DAYS_LEFT_HEADER}),
    ),
    Section("reviews", "待复盘活动", "待复盘活动", _columns("reviews", CAMPAIGNS, {"days_left": DAYS_LEFT_HEADER})),
)
SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
assert tuple(SECTIONS_BY_KEY) == SECTION_KEYS


def show_days(days: int | None) -> str:
    """0 → 今天, 3 → 3 天后, -2 → 逾期 2 天."""
    if days is None:
        return BLANK
    if days == 0:
        return "今天"
    return f"{days} 天后" if days > 0 else f"逾期 {-days} 天"


def show_hours(hours: float | None) -> str:
    """9.0 → 剩余 9.0 小时, -16.0 → 已超时 16.0 小时; from 48 hours on also in days."""
    if hours is None:
        return BLANK
    text = f"剩余 {hours:.1f} 小时" if hours >= 0 else f"已超时 {-hours:.1f} 小时"
    if abs(hours) >= 48:  # long spans read better in days too
        text += f"（约 {round(abs(hours) / 24)} 天）"
    return text


def show(key: str, value: Any) -> str:
    """The display form of one item value (dates ISO, times to the minute, blanks as —)."""
    if value is None or value == "":
        return BLANK
    if key == "days_left":
        return show_days(value)
    if key == "hours_left":
        return show_hours(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
