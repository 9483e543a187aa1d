"""Chinese working days and deadline arithmetic (SPEC §2.8, §2.10).

Statutory holidays and adjusted working weekends (调休) come from the ``chinesecalendar``
package; config ``extra_holidays`` / ``extra_workdays`` add to or correct it (a team enters next
year's official schedule the day it is announced), and a year named by any of those dates counts
as covered. For a year neither covers, Monday–Friday is assumed and the year is recorded in
``WorkCalendar.uncovered_years`` so the caller can emit one ``calendar.fallback`` issue per run.

Pure: no I/O, no clock. Lookups are cached because derivations call them for every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any

import chinese_calendar

from ..i18n import tr

WORKDAY_START = 9  # working clock opens at 09:00
WORKDAY_END = 18  # and closes at 18:00 (9 working hours per day)
HOURS_PER_WORKDAY = WORKDAY_END - WORKDAY_START

_DAY = timedelta(days=1)


@cache
def _lookup(d: date) -> tuple[bool, bool]:
    """(is working day, year covered by the calendar package) for one date."""
    try:
        return bool(chinese_calendar.is_workday(d)), True
    except NotImplementedError:  # year outside the package's data
        return d.weekday() < 5, False


@dataclass(frozen=True)
class Extras:
    """A team's own corrections to the calendar (config ``extra_holidays`` / ``extra_workdays``)."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @property
    def years(self) -> frozenset[int]:
        return frozenset(d.year for d in self.holidays | self.workdays)


_NO_EXTRAS = Extras()


def _lookup_with(d: date, extras: Extras) -> tuple[bool, bool]:
    if d in extras.workdays:
        return True, True
    if d in extras.holidays:
        return False, True
    workday, covered = _lookup(d)
    return workday, covered or d.year in extras.years


@lru_cache(maxsize=65536)
def _add_workdays(d: date, n: int, extras: Extras = _NO_EXTRAS) -> tuple[date, frozenset[int]]:
    """The n-th working day after ``d`` (before it when n < 0) and the uncovered years met."""
    step = _DAY if n >= 0 else -_DAY
    left = abs(n)
    uncovered: set[int] = set()
    cur = d
    while left:
        cur += step
        workday, covered = _lookup_with(cur, extras)
        if not covered:
            uncovered.add(cur.year)
        if workday:
            left -= 1
    return cur, frozenset(uncovered)


def _as_date(d: date) -> date:
    # datetime is a subclass of date; normalise so cache keys and lookups agree
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Chinese working-day calendar that remembers the years it had to guess.

    ``uncovered_years`` collects every year looked up that the calendar package does not cover
    (Monday–Friday was assumed for it); the caller warns once when it is not empty.
    """

    def __init__(self, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> None:
        self.uncovered_years: set[int] = set()
        self.extras = Extras(frozenset(holidays), frozenset(workdays))

    @classmethod
    def from_config(cls, config: Any) -> WorkCalendar:
        """The calendar with the config's ``extra_holidays`` and ``extra_workdays``."""
        return cls(config.extra_holidays, config.extra_workdays)

    def is_workday(self, d: date) -> bool:
        """True when ``d`` is a Chinese working day (调休 weekends included, holidays excluded)."""
        workday, covered = _lookup_with(_as_date(d), self.extras)
        if not covered:
            self.uncovered_years.add(d.year)
        return workday

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after ``d``, ``d`` itself not counted (n = 0 gives ``d``).

        A negative n counts backwards: the |n|-th working day before ``d``.
        """
        result, uncovered = _add_workdays(_as_date(d), n, self.extras)
        self.uncovered_years.update(uncovered)
        return result

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_workdays(d, 1)

    def uncovered_message(self) -> str | None:
        """The one warning to show for the uncovered years met so far, or None."""
        return fallback_message(self.uncovered_years) if self.uncovered_years else None


def fallback_message(years: Iterable[int]) -> str:
    """The ``calendar.fallback`` message for the years Monday–Friday was assumed for."""
    ordered = sorted(set(years))
    return tr(
        "节假日日历未覆盖 {years} 年，这些年份按周一至周五为工作日计算"
        "（未考虑法定节假日和调休）。官方安排公布后，可在配置中填写 extra_holidays / extra_workdays，"
        "或升级 chinesecalendar 包。",
        "The holiday calendar does not cover {years_en}; Monday–Friday was assumed as "
        "working days (statutory holidays and adjusted weekends ignored). Enter the official "
        "schedule in the config keys extra_holidays / extra_workdays, or upgrade chinesecalendar.",
        years="、".join(str(y) for y in ordered),
        years_en=", ".join(str(y) for y in ordered),
    )


def is_workday(d: date) -> bool:
    """True when ``d`` is a Chinese working day by the package alone; Monday–Friday for an
    uncovered year."""
    return _lookup(_as_date(d))[0]


def add_calendar_hours(start: datetime, hours: float) -> datetime:
    """Deadline on the calendar clock: ``start`` plus ``hours`` round-the-clock hours."""
    return start + timedelta(hours=hours)


def _opening(d: date, like: datetime) -> datetime:
    return datetime.combine(d, time(WORKDAY_START), tzinfo=like.tzinfo)


def _closing(d: date, like: datetime) -> datetime:
    return datetime.combine(d, time(WORKDAY_END), tzinfo=like.tzinfo)


def _clock_in(start: datetime, cal: WorkCalendar) -> datetime:
    """The first instant at or after ``start`` when the working clock is running."""
    day = start.date()
    if cal.is_workday(day):
        if start < _opening(day, start):
            return _opening(day, start)
        if start < _closing(day, start):
            return start
    return _opening(cal.next_workday(day), start)


def add_work_hours(start: datetime, hours: float, cal: WorkCalendar) -> datetime:
    """Deadline on the working clock: 09:00–18:00 of Chinese working days (9 h per day).

    A start before 09:00 counts from 09:00; after 18:00 or on a non-working day, from 09:00 of
    the next working day. A deadline that uses up a day's last hour is that day's 18:00.
    Example: 24 working hours from Friday 17:00 (ordinary week) end Wednesday 14:00.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    cursor = _clock_in(start, cal)
    remaining = timedelta(hours=hours)
    while True:
        available = _closing(cursor.date(), cursor) - cursor
        if remaining <= available:
            return cursor + remaining
        remaining -= available
        cursor = _opening(cal.next_workday(cursor.date()), cursor)
