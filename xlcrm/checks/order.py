"""Dates in the wrong order (``order``, SPEC §1, §3.1, §3.2).

Each rule names an earlier and a later field; the issue is placed at the later (dependent) one:

- 维护活动: 结束日期 before 开始日期 → error at 结束日期;
  复盘日期 before 结束日期 → WARNING at 复盘日期 (a review may legitimately be held early);
- 活动任务: 截止日期 before 开始日期 → error at 截止日期;
- 反馈处理: 解决时间 before 接收时间 → error at 解决时间;
- 跟进记录: 下一步计划日期 before the day of 跟进时间 → error at 下一步计划日期;
  录入日期 before 跟进时间 → error at 录入日期.

Dates and datetimes compare by day when either side has no time; a datetime at exactly midnight is
taken as typed without a time. A completion time (解决时间, 录入日期) is compared as an instant
(SPEC §2 "Date-only times"): a plain date is the end of its day, the start a plain date's 00:00,
so a 录入日期 typed as a plain date on the follow-up's day is fine and a 解决时间 at 09:00 before
a 接收时间 at 10:00 the same day is an error.
Blank or unreadable cells are skipped (the blank-while-planned rule for 下一步计划日期 is in
``consistency.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..config import Config
from ..i18n import tr
from ..instants import completion_instant, start_instant
from ..issues import Issue, located
from ..model import Book, SheetData
from ._common import data_sheets, is_before, show


@dataclass(frozen=True)
class OrderRule:
    """``later`` must not be before ``earlier`` in sheet ``sheet`` (field keys)."""

    sheet: str
    earlier: str
    later: str
    severity: str = "error"


ORDER_RULES: tuple[OrderRule, ...] = (
    OrderRule("campaigns", "start", "end"),
    OrderRule("campaigns", "end", "reviewed_on", "warning"),
    OrderRule("tasks", "start", "due"),
    OrderRule("feedback", "received", "resolved_at"),
    OrderRule("followups", "at", "next_action_date"),
    OrderRule("followups", "at", "recorded"),
)


def check_order(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``order`` for every rule whose two columns are present."""
    for sheet in data_sheets(book):
        for rule in ORDER_RULES:
            if rule.sheet == sheet.key and rule.earlier in sheet.columns and rule.later in sheet.columns:
                yield from _apply(sheet, rule)


def _apply(sheet: SheetData, rule: OrderRule) -> Iterator[Issue]:
    earlier_key, later_key = rule.earlier, rule.later
    before = _instant_before if sheet.kind.field(later_key).completion else is_before
    earlier_header = sheet.kind.field(earlier_key).header
    later_header = sheet.kind.field(later_key).header
    severity = rule.severity
    for row in sheet.rows:
        values = row.values
        later = values.get(later_key)
        if later is None:
            continue
        earlier = values.get(earlier_key)
        if earlier is None:
            continue
        # Fast path for the common case of two values of the same plain type.
        if later.__class__ is earlier.__class__ is date:
            if not later < earlier:
                continue
        elif not before(later, earlier):
            continue
        yield located(
            sheet,
            row.number,
            later_key,
            "order",
            _message(later_header, show(later), earlier_header, show(earlier), severity),
            value=later,
            severity=severity,
        )


def _instant_before(later: date, earlier: date) -> bool:
    """A completion instant before its start instant (both as SPEC §2 reads date-only times)."""
    end, start = completion_instant(later), start_instant(earlier)
    assert end is not None and start is not None
    return end < start


def _message(later: str, later_value: str, earlier: str, earlier_value: str, severity: str) -> str:
    kw = {"later": later, "later_value": later_value, "earlier": earlier, "earlier_value": earlier_value}
    if severity == "warning":
        return tr(
            "“{later}”（{later_value}）早于“{earlier}”（{earlier_value}）。通常在“{earlier}”之后进行，"
            "请确认日期是否填写正确。",
            '"{later}" ({later_value}) is before "{earlier}" ({earlier_value}). It usually comes after '
            '"{earlier}"; please check the date.',
            **kw,
        )
    return tr(
        "“{later}”（{later_value}）早于“{earlier}”（{earlier_value}）。请核对这两个日期，"
        "“{later}”不能早于“{earlier}”。",
        '"{later}" ({later_value}) is before "{earlier}" ({earlier_value}). Check both dates; '
        '"{later}" cannot be earlier than "{earlier}".',
        **kw,
    )
