"""活动任务 是否逾期 (SPEC §1.5)."""

from __future__ import annotations

from datetime import date

from .common import Record, day_of
from .vocab import (
    TASK_CANCELLED,
    TASK_CANCELLED_MARK,
    TASK_DONE,
    TASK_LATE,
    TASK_NOT_DUE,
    TASK_ON_TIME,
    TASK_OVERDUE_MARK,
)


def task_overdue(task: Record, as_of: date) -> str | None:
    """已取消; 已完成 → 按时完成 / 延期完成 by 完成日期; otherwise 已逾期 after 截止日期, else 未到期."""
    due = day_of(task.get("due"))
    if task.get("status") == TASK_CANCELLED:
        return TASK_CANCELLED_MARK
    if due is None:
        return None
    done_on = day_of(task.get("done_on"))
    if task.get("status") == TASK_DONE and done_on is not None:
        return TASK_ON_TIME if done_on <= due else TASK_LATE
    return TASK_OVERDUE_MARK if as_of > due else TASK_NOT_DUE


def apply_tasks(tasks: list[Record], as_of: date) -> None:
    """Set 是否逾期 on every task record."""
    for t in tasks:
        t["overdue"] = task_overdue(t, as_of)
