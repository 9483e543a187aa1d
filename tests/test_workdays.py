"""Chinese working days and SLA deadlines (SPEC §2.8, §2.10); dates checked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from xlcrm.derive.workdays import (
    WORKDAY_END,
    WORKDAY_START,
    WorkCalendar,
    add_calendar_hours,
    add_work_hours,
    is_workday,
)

D = date.fromisoformat


def T(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2024-09-29", True),  # Sunday, 调休 working day before National Day
        ("2024-09-30", True),
        ("2024-10-01", False),  # National Day
        ("2024-10-07", False),
        ("2024-10-08", True),
        ("2024-10-12", True),  # Saturday, 调休 working day
        ("2024-10-13", False),
        ("2024-11-09", False),  # ordinary Saturday
        ("2025-01-26", True),  # Sunday, 调休 before Spring Festival
        ("2025-01-28", False),  # Spring Festival eve holiday
        ("2025-02-04", False),
        ("2025-02-05", True),
        ("2025-02-08", True),  # Saturday, 调休
        ("2025-02-09", False),
    ],
)
def test_is_workday_follows_statutory_calendar(day: str, expected: bool) -> None:
    cal = WorkCalendar()
    assert cal.is_workday(D(day)) is expected
    assert is_workday(D(day)) is expected
    assert cal.uncovered_years == set()


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-09-27", 1, "2024-09-29"),  # Friday → the working Sunday
        ("2024-09-30", 1, "2024-10-08"),  # over the whole National Day week
        ("2024-09-30", 3, "2024-10-10"),
        ("2024-10-10", 2, "2024-10-12"),  # Thu → Fri → working Saturday
        ("2024-10-12", 1, "2024-10-14"),  # Sunday 10-13 is rest
        ("2024-10-01", 3, "2024-10-10"),  # starting on a holiday
        ("2024-11-08", 1, "2024-11-11"),  # ordinary weekend crossing
        ("2024-11-08", 3, "2024-11-13"),
        ("2025-01-24", 1, "2025-01-26"),  # Friday → the working Sunday
        ("2025-01-27", 1, "2025-02-05"),  # Spring Festival 01-28..02-04
        ("2025-02-07", 1, "2025-02-08"),  # → the working Saturday
        ("2024-11-13", 0, "2024-11-13"),
        ("2024-10-08", -1, "2024-09-30"),  # backwards over the holiday
    ],
)
def test_add_workdays_does_not_count_the_start(start: str, n: int, expected: str) -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(D(start), n) == D(expected)
    assert cal.uncovered_years == set()


def test_uncovered_year_falls_back_to_monday_to_friday_and_is_recorded() -> None:
    cal = WorkCalendar()
    assert cal.uncovered_message() is None
    assert cal.is_workday(D("2099-01-01"))  # a Thursday; New Year unknown, so working
    assert not cal.is_workday(D("2099-01-03"))  # Saturday
    assert cal.add_workdays(D("2099-01-02"), 1) == D("2099-01-05")  # Fri → Mon
    assert cal.uncovered_years == {2099}
    message = cal.uncovered_message()
    assert message is not None and "2099" in message


def _first_uncovered_year() -> int:
    import chinese_calendar

    year = 2004
    while True:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


def test_crossing_into_an_uncovered_year_is_recorded_even_from_cache() -> None:
    year = _first_uncovered_year()  # whichever year the installed calendar package lacks first
    first, second = WorkCalendar(), WorkCalendar()
    start = date(year - 1, 12, 30)
    assert first.add_workdays(start, 5) == second.add_workdays(start, 5)
    assert first.uncovered_years == second.uncovered_years == {year}


def test_extra_days_correct_the_calendar_and_cover_their_year() -> None:
    year = _first_uncovered_year()
    friday = next(date(year, 3, d) for d in range(1, 8) if date(year, 3, d).weekday() == 4)
    monday = date(year, 3, friday.day + 3)
    cal = WorkCalendar(holidays=[monday], workdays=[date(year, 3, friday.day + 1)])
    assert not cal.is_workday(monday) and cal.is_workday(date(year, 3, friday.day + 1))
    assert cal.add_workdays(friday, 2) == date(year, 3, friday.day + 4)  # Saturday worked, Monday off
    assert cal.uncovered_years == set()


def test_covered_calls_do_not_report_uncovered_years() -> None:
    cal = WorkCalendar()
    cal.add_workdays(D("2024-01-02"), 200)
    assert cal.uncovered_years == set()


def test_datetime_is_accepted_as_a_date() -> None:
    assert WorkCalendar().add_workdays(T("2024-09-30 15:00"), 1) == D("2024-10-08")


def test_working_clock_constants() -> None:
    assert (WORKDAY_START, WORKDAY_END) == (9, 18)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2024-11-08 17:00", 24, "2024-11-13 14:00"),  # Fri 1h, Mon 9h, Tue 9h, Wed 5h
        ("2024-11-11 07:30", 2, "2024-11-11 11:00"),  # before opening counts from 09:00
        ("2024-11-11 19:00", 1, "2024-11-12 10:00"),  # after closing → next day 09:00
        ("2024-11-11 18:00", 1, "2024-11-12 10:00"),
        ("2024-11-09 10:00", 9, "2024-11-11 18:00"),  # Saturday start; ends at closing
        ("2024-11-11 09:00", 9, "2024-11-11 18:00"),
        ("2024-11-11 17:45", 0.5, "2024-11-12 09:15"),
        ("2024-09-30 17:00", 24, "2024-10-10 14:00"),  # over National Day week
        ("2024-10-11 16:00", 9, "2024-10-12 16:00"),  # into the working Saturday
        ("2024-09-28 10:00", 1, "2024-09-29 10:00"),  # rest Saturday → working Sunday
        ("2025-01-27 10:00", 48, "2025-02-10 13:00"),  # Spring Festival, working Saturday
        ("2024-10-03 12:00", 0, "2024-10-08 09:00"),
    ],
)
def test_add_work_hours(start: str, hours: float, expected: str) -> None:
    cal = WorkCalendar()
    assert add_work_hours(T(start), hours, cal) == T(expected)
    assert cal.uncovered_years == set()


def test_add_work_hours_keeps_time_zone_and_records_uncovered_years() -> None:
    tz = timezone(timedelta(hours=8))
    cal = WorkCalendar()
    got = add_work_hours(datetime(2099, 1, 2, 17, 0, tzinfo=tz), 2, cal)
    assert got == datetime(2099, 1, 5, 10, 0, tzinfo=tz)
    assert cal.uncovered_years == {2099}


def test_add_work_hours_rejects_negative_hours() -> None:
    with pytest.raises(ValueError):
        add_work_hours(T("2024-11-11 10:00"), -1, WorkCalendar())


def test_add_calendar_hours_ignores_holidays() -> None:
    assert add_calendar_hours(T("2024-10-01 10:00"), 24) == T("2024-10-02 10:00")
    assert add_calendar_hours(T("2024-11-08 17:00"), 48) == T("2024-11-10 17:00")
