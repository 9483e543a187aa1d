"""Values that are each valid but do not fit together (warnings, SPEC §1.1, §1.2).

- 客户信息: 近12月消费次数 > 0 while 近12月消费金额 is 0 or blank → ``consistency`` warning at
  近12月消费金额.
- 跟进记录: 沟通内容 with fewer than 5 characters (whitespace not counted) → ``value.too_short``
  warning at 沟通内容.
- 跟进记录: 下一步行动 filled while 下一步计划日期 is blank → ``consistency`` warning at
  下一步计划日期. Decision: SPEC calls this "a warning" without a code; ``value.required`` is an
  error by definition and ``state`` is about a status column, so the stable code is
  ``consistency`` ("data contradicts itself": an action is planned but has no date).

Unreadable cells (typed value None, raw value not blank) were reported by the reader and are
treated as neither blank nor filled.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, SheetData
from ._common import show

MIN_CONTENT_CHARS = 5


def check_consistency(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``consistency`` and ``value.too_short`` warnings."""
    customers = book.sheets.get("customers")
    if customers is not None and "frequency" in customers.columns and "monetary" in customers.columns:
        yield from _purchases_without_amount(customers)
    followups = book.sheets.get("followups")
    if followups is not None:
        if "content" in followups.columns:
            yield from _short_content(followups)
        if "next_action" in followups.columns and "next_action_date" in followups.columns:
            yield from _action_without_date(followups)


def _purchases_without_amount(sheet: SheetData) -> Iterator[Issue]:
    amount_header = sheet.kind.field("monetary").header
    count_header = sheet.kind.field("frequency").header
    for row in sheet.rows:
        values = row.values
        count = values.get("frequency")
        if count is None or count <= 0:
            continue
        amount = values.get("monetary")
        if amount is None:
            raw = row.raw.get("monetary")
            if not (raw is None or (raw.__class__ is str and not raw.strip())):
                continue  # unreadable: already reported
        elif amount != 0:
            continue
        yield located(
            sheet,
            row.number,
            "monetary",
            "consistency",
            tr(
                "“{count_header}”为 {count}，但“{amount_header}”为 0 或空。请填写这 {count} 次消费的总金额（元），"
                "或核对消费次数。",
                '"{count_header}" is {count} but "{amount_header}" is 0 or blank. Enter the total amount (yuan) of '
                "those {count} purchases, or check the count.",
                count_header=count_header,
                count=show(count),
                amount_header=amount_header,
            ),
            value=amount,
        )


def _short_content(sheet: SheetData) -> Iterator[Issue]:
    header = sheet.kind.field("content").header
    limit = MIN_CONTENT_CHARS
    for row in sheet.rows:
        text = row.values.get("content")
        if text is None:
            continue
        text = text if text.__class__ is str else str(text)
        # Cheap length test first; whitespace is only stripped out for short-ish texts.
        if len(text) >= limit and (len(text) >= 4 * limit or len("".join(text.split())) >= limit):
            continue
        yield located(
            sheet,
            row.number,
            "content",
            "value.too_short",
            tr(
                "“{header}”太短：{value}。请至少写 {limit} 个字，说明沟通了什么、客户怎么说。",
                '"{header}" is too short: {value}. Write at least {limit} characters: what was discussed and what '
                "the customer said.",
                header=header,
                value=text,
                limit=limit,
            ),
            value=text,
        )


def _action_without_date(sheet: SheetData) -> Iterator[Issue]:
    action_header = sheet.kind.field("next_action").header
    date_header = sheet.kind.field("next_action_date").header
    for row in sheet.rows:
        values = row.values
        if values.get("next_action") is None or values.get("next_action_date") is not None:
            continue
        raw = row.raw.get("next_action_date")
        if not (raw is None or (raw.__class__ is str and not raw.strip())):
            continue  # unreadable date: already reported
        yield located(
            sheet,
            row.number,
            "next_action_date",
            "consistency",
            tr(
                "已填写“{action_header}”，但“{date_header}”为空。请填写计划执行的日期，以便按时跟进。",
                '"{action_header}" is filled but "{date_header}" is blank. Enter the date it is planned for, so it '
                "can be followed up on time.",
                action_header=action_header,
                date_header=date_header,
            ),
        )
