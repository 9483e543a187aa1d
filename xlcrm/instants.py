"""Date-only times (SPEC §2 "Date-only times"): one rule shared by the checks and the derive layer.

A datetime field typed as a plain date (a date cell, or a datetime at exactly 00:00:00) means
"some time that day". A start time (跟进时间, 接收时间) is then taken at 00:00; a completion time
(解决时间, 录入日期) at the end of that day, 23:59:59, so no duration is ever negative and nothing
counts as on time unless it provably was.
"""

from __future__ import annotations

from datetime import date, datetime, time

END_OF_DAY = time(23, 59, 59)


def is_date_only(value: date | datetime | None) -> bool:
    """True for a plain date or a datetime at exactly midnight (typed without a time)."""
    if value is None:
        return False
    if not isinstance(value, datetime):
        return True
    return not (value.hour or value.minute or value.second or value.microsecond)


def start_instant(value: date | datetime | None) -> datetime | None:
    """A start time as an instant: a date-only value is 00:00 of its day."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time())


def completion_instant(value: date | datetime | None) -> datetime | None:
    """A completion time as an instant: a date-only value is 23:59:59 of its day."""
    if value is None:
        return None
    if is_date_only(value):
        day = value.date() if isinstance(value, datetime) else value
        return datetime.combine(day, END_OF_DAY, tzinfo=getattr(value, "tzinfo", None))
    return value  # type: ignore[return-value]
