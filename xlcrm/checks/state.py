"""A status and the fields it requires disagree (``state``, SPEC §1.3, §1.5, §3.1).

反馈处理 (处理进度):
- 已解决 / 已关闭 without 处理结果 → error at 处理结果; without 解决时间 → error at 解决时间;
- 已关闭 without 客户确认结果 → error at 客户确认结果;
- 已关闭 with 客户确认结果 需进一步优化 → error at 客户确认结果 (an unsatisfied customer means
  the case is re-planned, so it must be 重新打开);
- 解决时间 filled while 待处理 / 处理中 → WARNING at 解决时间.
活动任务 (任务状态):
- 已完成 without 完成日期 → error at 完成日期.

A cell counts as missing only when its raw value is blank (an unreadable value was already reported
by the reader). Rows with a blank or unreadable status are skipped, as are rules whose columns are
absent from the sheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from ..config import Config
from ..i18n import tr
from ..issues import Issue, located
from ..model import Book, Row, SheetData
from ..schema.sheets import CONFIRMATIONS, FEEDBACK_STATUSES, TASK_STATUSES
from ._common import raw_blank, show

# Unpacking fails loudly if the schema's lists change shape.
PENDING, IN_PROGRESS, RESOLVED, CLOSED, REOPENED = FEEDBACK_STATUSES
SATISFIED, MOSTLY_SATISFIED, NEEDS_WORK = CONFIRMATIONS
NOT_STARTED, RUNNING, DONE, CANCELLED = TASK_STATUSES

_FINISHED = (RESOLVED, CLOSED)
_OPEN = (PENDING, IN_PROGRESS)


def check_state(book: Book, config: Config | None, as_of: date) -> Iterator[Issue]:
    """``state`` issues of 反馈处理 and 活动任务."""
    feedback = book.sheets.get("feedback")
    if feedback is not None and "status" in feedback.columns:
        yield from _feedback(feedback)
    tasks = book.sheets.get("tasks")
    if tasks is not None and "status" in tasks.columns and "done_on" in tasks.columns:
        yield from _tasks(tasks)


def _missing(row: Row, key: str) -> bool:
    return row.values.get(key) is None and raw_blank(row.raw.get(key))


def _feedback(sheet: SheetData) -> Iterator[Issue]:
    cols = sheet.columns
    has_result, has_time, has_confirm = "resolution" in cols, "resolved_at" in cols, "confirmation" in cols
    for row in sheet.rows:
        status = row.values.get("status")
        if status is None:
            continue
        if status in _FINISHED:
            if has_result and _missing(row, "resolution"):
                yield _needs(sheet, row.number, "resolution", status)
            if has_time and _missing(row, "resolved_at"):
                yield _needs(sheet, row.number, "resolved_at", status)
            if status == CLOSED and has_confirm:
                if _missing(row, "confirmation"):
                    yield _needs(sheet, row.number, "confirmation", status)
                elif row.values.get("confirmation") == NEEDS_WORK:
                    yield _closed_unsatisfied(sheet, row.number)
        elif status in _OPEN and has_time:
            resolved_at = row.values.get("resolved_at")
            if resolved_at is not None:
                yield _resolved_while_open(sheet, row.number, status, resolved_at)


def _tasks(sheet: SheetData) -> Iterator[Issue]:
    for row in sheet.rows:
        if row.values.get("status") == DONE and _missing(row, "done_on"):
            yield _needs(sheet, row.number, "done_on", DONE)


def _needs(sheet: SheetData, row: int, key: str, status: str) -> Issue:
    status_header = sheet.kind.field("status").header
    return located(
        sheet,
        row,
        key,
        "state",
        tr(
            "“{status_header}”为“{status}”时必须填写“{header}”。请补填“{header}”，或把“{status_header}”改为实际进度。",
            '"{header}" is required when "{status_header}" is "{status}". Fill in "{header}", or set '
            '"{status_header}" to the actual progress.',
            header=sheet.kind.field(key).header,
            status_header=status_header,
            status=status,
        ),
    )


def _closed_unsatisfied(sheet: SheetData, row: int) -> Issue:
    return located(
        sheet,
        row,
        "confirmation",
        "state",
        tr(
            "“{status_header}”为“{closed}”，但“{header}”是“{needs_work}”。客户不满意的问题需要重新处理："
            "请把“{status_header}”改为“{reopened}”，处理完再关闭。",
            '"{status_header}" is "{closed}" but "{header}" is "{needs_work}". A case the customer is not '
            'satisfied with must be handled again: set "{status_header}" to "{reopened}" and close it later.',
            header=sheet.kind.field("confirmation").header,
            status_header=sheet.kind.field("status").header,
            closed=CLOSED,
            needs_work=NEEDS_WORK,
            reopened=REOPENED,
        ),
        value=NEEDS_WORK,
    )


def _resolved_while_open(sheet: SheetData, row: int, status: str, resolved_at: object) -> Issue:
    return located(
        sheet,
        row,
        "resolved_at",
        "state",
        tr(
            "“{status_header}”为“{status}”，但已填写“{header}”（{value}）。如果问题已解决，请把“{status_header}”"
            "改为“{resolved}”；否则请清空“{header}”。",
            '"{status_header}" is "{status}" but "{header}" is filled ({value}). If the case is solved, set '
            '"{status_header}" to "{resolved}"; otherwise clear "{header}".',
            header=sheet.kind.field("resolved_at").header,
            status_header=sheet.kind.field("status").header,
            status=status,
            value=show(resolved_at),
            resolved=RESOLVED,
        ),
        value=resolved_at,
        severity="warning",
    )
