"""Schedule maths: daily, weekly and monthly occurrences in UTC and local zones, month ends and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.schedules import latest_occurrence, next_occurrence
from chalicelib.ports.tasks import Schedule

HELSINKI = ZoneInfo("Europe/Helsinki")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def daily(hour: int, minute: int) -> Schedule:
    return Schedule("daily", hour, minute)


def weekly(hour: int, minute: int, *days: str) -> Schedule:
    return Schedule("weekly", hour, minute, tuple(days))


def monthly(day: int, hour: int = 0, minute: int = 0) -> Schedule:
    return Schedule("monthly", hour, minute, (), day)


def run_times(schedule: Schedule, after: datetime, zone, count: int) -> list[datetime]:
    found = []
    for _ in range(count):
        after = next_occurrence(schedule, after, zone)
        found.append(after)
    return found


@pytest.mark.parametrize(("after", "expected"), [
    (utc(2026, 3, 1, 0, 59), utc(2026, 3, 1, 1, 0)),  # later today
    (utc(2026, 3, 1, 1, 0), utc(2026, 3, 2, 1, 0)),  # strictly after: the run at 01:00 is not again
    (utc(2026, 3, 1, 1, 0, 0, 1), utc(2026, 3, 2, 1, 0)),
    (utc(2026, 12, 31, 23, 59), utc(2027, 1, 1, 1, 0)),  # across midnight and the year
    (utc(2028, 2, 28, 5, 0), utc(2028, 2, 29, 1, 0)),  # leap day
])
def test_daily_in_utc(after, expected):
    assert next_occurrence(daily(1, 0), after, UTC) == expected


def test_daily_at_midnight_and_at_the_last_minute_of_the_day():
    assert run_times(daily(0, 0), utc(2026, 3, 1, 23, 59), UTC, 2) == [utc(2026, 3, 2), utc(2026, 3, 3)]
    assert next_occurrence(daily(23, 59), utc(2026, 3, 1, 23, 59), UTC) == utc(2026, 3, 2, 23, 59)


def test_daily_in_local_time_crosses_utc_midnight():
    # 01:30 in Helsinki in winter (UTC+2) is 23:30 UTC of the day before
    assert next_occurrence(daily(1, 30), utc(2026, 1, 10, 12, 0), HELSINKI) == utc(2026, 1, 10, 23, 30)
    assert next_occurrence(daily(1, 30), utc(2026, 1, 10, 23, 30), HELSINKI) == utc(2026, 1, 11, 23, 30)
    # 22:00 in New York in winter (UTC-5) is 03:00 UTC the next day
    assert next_occurrence(daily(22, 0), utc(2026, 1, 10, 2, 0), NEW_YORK) == utc(2026, 1, 10, 3, 0)


def test_weekly_runs_on_each_chosen_day_in_order():
    # 2026-03-02 is a Monday
    schedule = weekly(0, 0, "Mon", "Wed", "Sat")
    assert run_times(schedule, utc(2026, 3, 1, 12, 0), UTC, 5) == [
        utc(2026, 3, 2), utc(2026, 3, 4), utc(2026, 3, 7), utc(2026, 3, 9), utc(2026, 3, 11),
    ]


def test_weekly_one_day_waits_a_week_after_its_run():
    friday = weekly(23, 59, "Fri")
    assert next_occurrence(friday, utc(2026, 3, 6, 23, 58), UTC) == utc(2026, 3, 6, 23, 59)
    assert next_occurrence(friday, utc(2026, 3, 6, 23, 59), UTC) == utc(2026, 3, 13, 23, 59)


def test_weekly_sunday_in_local_time_is_saturday_in_utc():
    sunday = weekly(0, 30, "Sun")
    # Sunday 2026-03-08 00:30 in Helsinki (UTC+2) is Saturday 22:30 UTC
    assert next_occurrence(sunday, utc(2026, 3, 2), HELSINKI) == utc(2026, 3, 7, 22, 30)


def test_the_manuals_weekday_example_allows_monday_and_stops_friday():
    # "Allow charging user X to charge on weekdays but not on weekends": on at Mon 00:00, off at Fri 23:59
    on, off = weekly(0, 0, "Mon"), weekly(23, 59, "Fri")
    start = utc(2026, 3, 4, 12, 0)  # a Wednesday
    assert next_occurrence(off, start, UTC) == utc(2026, 3, 6, 23, 59)
    assert next_occurrence(on, start, UTC) == utc(2026, 3, 9, 0, 0)


@pytest.mark.parametrize(("day", "after", "expected"), [
    (15, utc(2026, 3, 1), utc(2026, 3, 15)),  # the manual's group example: the 15th
    (15, utc(2026, 3, 15), utc(2026, 4, 15)),
    (31, utc(2026, 4, 1), utc(2026, 4, 30)),  # April has 30 days: its last day
    (31, utc(2026, 4, 30), utc(2026, 5, 31)),  # and May has its 31st again
    (31, utc(2026, 2, 1), utc(2026, 2, 28)),  # February of a common year
    (29, utc(2026, 2, 1), utc(2026, 2, 28)),
    (30, utc(2028, 2, 1), utc(2028, 2, 29)),  # February of a leap year
    (29, utc(2028, 2, 1), utc(2028, 2, 29)),
    (28, utc(2028, 2, 28), utc(2028, 3, 28)),  # the 28th of a leap year is not its last day
    (31, utc(2026, 12, 31), utc(2027, 1, 31)),
    (1, utc(2026, 12, 1), utc(2027, 1, 1)),
])
def test_monthly_and_month_ends(day, after, expected):
    assert next_occurrence(monthly(day), after, UTC) == expected


def test_monthly_31st_over_a_year_runs_once_a_month_on_its_last_day():
    runs = run_times(monthly(31, 23, 59), utc(2027, 12, 31, 23, 59), UTC, 12)
    assert [r.day for r in runs] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert [r.month for r in runs] == list(range(1, 13))


def test_monthly_in_local_time_can_be_the_day_before_in_utc():
    # 1 March 00:15 in Helsinki (UTC+2) is 28 February 22:15 UTC
    assert next_occurrence(monthly(1, 0, 15), utc(2026, 2, 20), HELSINKI) == utc(2026, 2, 28, 22, 15)


def test_daily_local_time_follows_helsinki_across_both_dst_changes():
    # 12:00 in Helsinki is 10:00 UTC in winter (EET) and 09:00 UTC in summer (EEST); 2026: 29 March, 25 October
    spring = run_times(daily(12, 0), utc(2026, 3, 27, 12, 0), HELSINKI, 3)
    assert spring == [utc(2026, 3, 28, 10, 0), utc(2026, 3, 29, 9, 0), utc(2026, 3, 30, 9, 0)]
    autumn = run_times(daily(12, 0), utc(2026, 10, 23, 12, 0), HELSINKI, 3)
    assert autumn == [utc(2026, 10, 24, 9, 0), utc(2026, 10, 25, 10, 0), utc(2026, 10, 26, 10, 0)]


def test_a_time_skipped_by_spring_forward_runs_when_the_gap_ends():
    # Helsinki, 29 March 2026: 03:00 EET jumps to 04:00 EEST (01:00 UTC); 03:30 does not exist that day
    runs = run_times(daily(3, 30), utc(2026, 3, 27, 12, 0), HELSINKI, 3)
    assert runs == [utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30)]
    # New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00 UTC)
    runs = run_times(daily(2, 15), utc(2026, 3, 7, 0, 0), NEW_YORK, 3)
    assert runs == [utc(2026, 3, 7, 7, 15), utc(2026, 3, 8, 7, 0), utc(2026, 3, 9, 6, 15)]


def test_a_time_repeated_by_fall_back_runs_once_at_its_first_occurrence():
    # Helsinki, 25 October 2026: 04:00 EEST falls back to 03:00 EET; 03:30 happens at 00:30 and at 01:30 UTC
    runs = run_times(daily(3, 30), utc(2026, 10, 24, 12, 0), HELSINKI, 2)
    assert runs == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    # New York, 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:30 happens at 05:30 and 06:30 UTC
    runs = run_times(daily(1, 30), utc(2026, 10, 31, 12, 0), NEW_YORK, 2)
    assert runs == [utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)]
    # asked between the two occurrences, the next run is the next day's
    assert next_occurrence(daily(1, 30), utc(2026, 11, 1, 6, 0), NEW_YORK) == utc(2026, 11, 2, 6, 30)


def test_weekly_local_time_over_the_dst_change_keeps_the_wall_clock():
    # every Sunday 09:00 in New York: EST (14:00 UTC) until 1 March, EDT (13:00 UTC) from 8 March 2026
    runs = run_times(weekly(9, 0, "Sun"), utc(2026, 2, 23), NEW_YORK, 3)
    assert runs == [utc(2026, 3, 1, 14, 0), utc(2026, 3, 8, 13, 0), utc(2026, 3, 15, 13, 0)]


def test_the_next_run_is_always_strictly_later_over_a_year_of_hours():
    schedule = weekly(3, 30, "Sun", "Mon")
    after = utc(2026, 1, 1)
    for _ in range(24 * 365 // 7):
        following = next_occurrence(schedule, after, HELSINKI)
        assert following > after and following - after <= timedelta(days=7)
        after = following


def test_latest_occurrence_is_the_last_one_at_or_before():
    assert latest_occurrence(daily(1, 0), utc(2026, 3, 5, 1, 0), UTC) == utc(2026, 3, 5, 1, 0)
    assert latest_occurrence(daily(1, 0), utc(2026, 3, 5, 0, 59), UTC) == utc(2026, 3, 4, 1, 0)
    assert latest_occurrence(monthly(31), utc(2026, 5, 10), UTC) == utc(2026, 4, 30)
    assert latest_occurrence(weekly(0, 0, "Mon"), utc(2026, 3, 8, 23, 0), UTC) == utc(2026, 3, 2)
    assert latest_occurrence(daily(3, 30), utc(2026, 3, 29, 2, 0), HELSINKI) == utc(2026, 3, 29, 1, 0)


def test_a_schedule_that_never_occurs_is_an_error():
    with pytest.raises(ValueError):
        next_occurrence(Schedule("weekly", 0, 0, ()), utc(2026, 3, 1), UTC)
    with pytest.raises(ValueError):
        next_occurrence(Schedule("yearly", 0, 0), utc(2026, 3, 1), UTC)
