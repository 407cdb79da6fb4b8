"""Schedule maths: the next (or latest) occurrence of a daily, weekly or monthly task, in UTC or a local zone.

Rules (docs/adr/0020-scheduled-tasks.md): a monthly day the month lacks runs on the month's last day; a local
time that does not exist (clocks spring forward) runs at the first instant after the gap; a local time that
occurs twice (clocks fall back) runs once, at its first occurrence. Pure: no store, no clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from chalicelib.ports.tasks import DAILY, MONTHLY, WEEKDAYS, WEEKLY, Schedule

# Any valid schedule occurs at least once in this many consecutive days (a month is at most 31; a gap day
# - Samoa skipped 30 December 2011 - still leaves the next month).
_HORIZON_DAYS = 64


def next_occurrence(schedule: Schedule, after: datetime, zone: tzinfo) -> datetime:
    """The first occurrence strictly after `after` (aware), as an aware UTC datetime."""
    start = after.astimezone(zone).date() - timedelta(days=1)
    for day in _days(start, 1):
        if _matches(schedule, day):
            moment = wall_instant(day, time(schedule.hour, schedule.minute), zone)
            if moment > after:
                return moment
    raise ValueError(f"{schedule} never occurs")


def latest_occurrence(schedule: Schedule, at: datetime, zone: tzinfo) -> datetime:
    """The last occurrence at or before `at` (aware), as an aware UTC datetime (catch-up after downtime)."""
    start = at.astimezone(zone).date() + timedelta(days=1)
    for day in _days(start, -1):
        if _matches(schedule, day):
            moment = wall_instant(day, time(schedule.hour, schedule.minute), zone)
            if moment <= at:
                return moment
    raise ValueError(f"{schedule} never occurs")


def wall_instant(day: date, clock: time, zone: tzinfo) -> datetime:
    """The UTC instant of a local wall time: its first occurrence when ambiguous, the end of the gap when skipped."""
    first = datetime.combine(day, clock, tzinfo=zone)  # fold=0
    instant = first.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == first.replace(tzinfo=None):
        return instant
    # In a gap: fold=0 read it with the offset before the jump (an instant after the gap), fold=1 with the
    # offset after it (an instant before the gap). The jump lies between them.
    return _transition(first.replace(fold=1).astimezone(UTC), instant, zone)


def _transition(before: datetime, after: datetime, zone: tzinfo) -> datetime:
    """The first instant in (before, after] whose UTC offset is `after`'s (offsets change on whole seconds)."""
    target = after.astimezone(zone).utcoffset()
    low, high = before, after
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high


def _days(start: date, step: int) -> Iterator[date]:
    for offset in range(_HORIZON_DAYS):
        yield start + timedelta(days=offset * step)


def _matches(schedule: Schedule, day: date) -> bool:
    if schedule.kind == DAILY:
        return True
    if schedule.kind == WEEKLY:
        return WEEKDAYS[day.weekday()] in schedule.weekdays
    if schedule.kind == MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(schedule.day_of_month or 0, last)
    raise ValueError(f"unknown schedule kind {schedule.kind!r}")
