"""Values out of range (``value.range``, SPEC §1, §3.2).

- money (预算, 实际花费, 近12月消费金额) and int counts (近12月消费次数, 目标客户数) below 0;
- scores (满意度评分) outside 0–100;
- the dates SPEC marks "not after as-of" (建档日期, 首次合作日期, 最近消费日期, 跟进时间, 接收时间,
  解决时间) later than the as-of day. The whole as-of day is admitted: a datetime at 23:00 on the
  as-of date is fine (SPEC §2);
- any other date so late that a date derived from it (下次跟进日期, 复盘截止日期, …) would leave
  the calendar (after 9999-12-31): "9999-12-31" typed for "no end" is a ``value.range`` error
  instead of a crash in enrich or report (SPEC §2, §3.2).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ..schema import Field, FieldType
from ._common import data_sheets, flagged, show

SCORE_MIN, SCORE_MAX = 0, 100

# Field keys whose value may not be after the as-of date, by sheet key (SPEC §1 "not after as-of").
NOT_AFTER_AS_OF: dict[str, tuple[str, ...]] = {
    "customers": ("created", "first_deal", "last_purchase"),
    "followups": ("at",),
    "feedback": ("received", "resolved_at"),
}

_NON_NEGATIVE = (FieldType.MONEY, FieldType.INT)
_DATES = (FieldType.DATE, FieldType.DATETIME)


def latest_computable_date(config: Config | None) -> date:
    """The last date from which every rule's derived date still fits the calendar.

    The largest step any rule takes from an input date is a cycle (跟进周期, 深度沟通周期), the
    agenda's look-ahead, the SLA hours or the review's working days (at most ~3 calendar days per
    working day, around the Spring Festival); a year of slack covers them all with room to spare.
    """
    cfg = config or Config()
    days = (
        max(cfg.cadence_days.values())
        + max(cfg.deep_cycle_days.values())
        + cfg.due_soon_days
        + cfg.agenda_days
        + 3 * cfg.review_due_workdays
        + int(max(cfg.sla_hours.values()) // 9) * 3
        + 366
    )
    return date.max - timedelta(days=days)


def check_ranges(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``value.range`` for negative money and counts, scores outside 0–100, dates after as-of or
    beyond the calendar."""
    limit = latest_computable_date(config)
    for sheet in data_sheets(book):
        future = NOT_AFTER_AS_OF.get(sheet.key, ())
        for field in sheet.kind.input_fields:
            if field.key not in sheet.columns:
                continue
            if field.type in _NON_NEGATIVE:
                yield from _negatives(sheet, field)
            elif field.type is FieldType.SCORE:
                yield from _scores(sheet, field)
            elif field.key in future:
                yield from _after_as_of(sheet, field, as_of)
            elif field.type in _DATES:
                yield from _beyond_calendar(sheet, field, limit)


def _negatives(sheet: SheetData, field: Field) -> Iterator[Issue]:
    key = field.key
    for number, value in flagged(sheet, key, lambda v: v < 0):
        yield located(
            sheet,
            number,
            key,
            "value.range",
            tr(
                "“{header}”不能为负数：{value}。请填写 0 或正数。",
                '"{header}" cannot be negative: {value}. Enter 0 or a positive number.',
                header=field.header,
                value=show(value),
            ),
            value=value,
        )


def _scores(sheet: SheetData, field: Field) -> Iterator[Issue]:
    key = field.key
    for number, value in flagged(sheet, key, lambda v: not SCORE_MIN <= v <= SCORE_MAX):
        yield located(
            sheet,
            number,
            key,
            "value.range",
            tr(
                "“{header}”超出范围：{value}。请填写 {lo}–{hi} 之间的分数。",
                '"{header}" is out of range: {value}. Enter a score from {lo} to {hi}.',
                header=field.header,
                value=show(value),
                lo=SCORE_MIN,
                hi=SCORE_MAX,
            ),
            value=value,
        )


def _after_as_of(sheet: SheetData, field: Field, as_of: date) -> Iterator[Issue]:
    key = field.key

    def late(value: date) -> bool:  # a datetime counts by its day: the whole as-of day is admitted
        return (value.date() > as_of) if isinstance(value, datetime) else value > as_of

    for number, value in flagged(sheet, key, late):
        yield located(
            sheet,
            number,
            key,
            "value.range",
            tr(
                "“{header}”晚于统计日 {as_of}：{value}。请核对日期，不能填写未来的日期。",
                '"{header}" is after the as-of date {as_of}: {value}. Check the date; it cannot be in the future.',
                header=field.header,
                as_of=as_of.isoformat(),
                value=show(value),
            ),
            value=value,
        )


def _beyond_calendar(sheet: SheetData, field: Field, limit: date) -> Iterator[Issue]:
    key = field.key

    def beyond(value: date) -> bool:
        return (value.date() if isinstance(value, datetime) else value) > limit

    for number, value in flagged(sheet, key, beyond):
        yield located(
            sheet,
            number,
            key,
            "value.range",
            tr(
                "“{header}”太晚了：{value}，由它推算的日期会超出日历范围。请填写实际日期；"
                "没有确定日期时请留空或填写预计日期。",
                '"{header}" is too late: {value}; dates computed from it would leave the calendar. '
                "Enter the real date, or an expected one.",
                header=field.header,
                value=show(value),
            ),
            value=value,
        )
