from datetime import UTC, datetime, timedelta, timezone

import pytest

from chalicelib import clock


def test_rfc3339_is_utc_with_offset():
    moment = datetime(2026, 11, 21, 12, 0, 1, 234567, tzinfo=timezone(timedelta(hours=2)))
    assert clock.rfc3339(moment) == "2026-11-21T10:00:01.234Z"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        clock.rfc3339(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    "text",
    ["2026-11-21T10:00:00Z", "2026-11-21T12:00:00+02:00", "2026-11-21T10:00:00", "2026-11-21T10:00:00.000Z"],
)
def test_charger_timestamps_become_utc(text):
    assert clock.parse(text) == datetime(2026, 11, 21, 10, tzinfo=UTC)
