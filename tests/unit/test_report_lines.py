"""A report file's lines made straight from the sessions (cached names, durations and local hours) are the
lines the Row path writes, around DST changes and in zones with half-hour offsets (the pages' reading:
tests/unit/test_time_slices.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.report_rows import CsvBuffer, Labels, LocalTimes
from chalicelib.ports.reports import ReportSession

ZONES = ["Europe/Helsinki", "UTC", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe", "America/Sao_Paulo",
         "Pacific/Chatham"]
CHANGES = [datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC),  # the EU's
           datetime(2026, 4, 4, 15, tzinfo=UTC), datetime(2026, 10, 3, 15, tzinfo=UTC),  # Lord Howe's, at :30
           datetime(1990, 1, 1, tzinfo=UTC), datetime(2038, 3, 14, 10, tzinfo=UTC)]


def _moments():
    for change in CHANGES:
        for step in range(-40, 40):
            moment = change + timedelta(minutes=7 * step, seconds=step % 60, microseconds=(step * 7919) % 1_000_000)
            yield moment
            yield moment.replace(microsecond=0)


@pytest.mark.parametrize("zone", ZONES)
def test_local_times_are_what_astimezone_writes(zone):
    times = LocalTimes(ZoneInfo(zone))
    for moment in _moments():
        assert times.text(moment) == moment.astimezone(ZoneInfo(zone)).isoformat(), moment
    other = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))  # not UTC: converted as it comes
    assert times.text(other) == other.astimezone(ZoneInfo(zone)).isoformat()


def _session(n: int, start: datetime, tag: str, user: str | None, station: str) -> ReportSession:
    stopped = None if n % 5 == 0 else start + timedelta(seconds=3600 + n * 37)
    return ReportSession(n, station, 1 + n % 2, tag, user, "Completed", start, stopped, 1234.5678 * n)


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "Australia/Lord_Howe"])
def test_lines_are_the_rows_csv(zone):
    stations = {"CP-1": "=HYPERLINK(\"x\")", "CP-2": "Mall, east; \"deck\"", "@CP-3": "Ödön"}
    labels = Labels("ACME", stations, zone)
    labels._users.update({"u1": "+Ann Smith", "u2": "Bo Li"})
    labels._tokens.update({"-TAG": "tab\tname", "TAG2": "", "TAG3": "Fleet card"})
    sessions = [_session(n, moment, ["-TAG", "TAG2", "TAG3"][n % 3], ["u1", "u2", None, "gone"][n % 4],
                         ["CP-1", "CP-2", "@CP-3", "CP-4"][n % 4])
                for n, moment in enumerate(_moments())]
    labels._users["gone"] = ""
    by_row, by_line = CsvBuffer(";"), CsvBuffer(";")
    for row in labels.rows(sessions):
        by_row.write(row)
    by_line.write_all(labels.lines(sessions))
    written = by_line.take()
    assert written == by_row.take()
    assert b"'=HYPERLINK" in written and b"'+Ann Smith" in written and b"'-TAG" in written
