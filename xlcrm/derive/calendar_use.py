"""Which years the working-day figures of a workbook need (SPEC §2.10 ``calendar.fallback``).

validate reports ``calendar.fallback`` without computing every column: the only working-day
figures are 复盘截止日期 (结束日期 + N working days) and, on the working-hour clock, 处理时限.
"""

from __future__ import annotations

from ..config import Config
from ..model import Book
from .common import day_of, instant_of
from .feedback import WORKDAY_CLOCK, sla_deadline
from .workdays import WorkCalendar


def uncovered_working_day_years(book: Book, config: Config) -> set[int]:
    """The years a working-day figure of ``book``'s valid rows falls back to Monday–Friday for."""
    cal = WorkCalendar.from_config(config)
    for row in book.rows("campaigns"):
        end = day_of(row.get("end"))
        if end is not None:
            cal.add_workdays(end, config.review_due_workdays)
    if config.sla_clock == WORKDAY_CLOCK:
        for row in book.rows("feedback"):
            received = instant_of(row.get("received"))
            if received is not None:
                sla_deadline(received, row.get("complexity"), config, cal)
    return set(cal.uncovered_years)
