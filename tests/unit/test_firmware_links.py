"""How long firmware download links live (ADR 0016): to the retrieve date, through every retry, plus the
download, never past the cap; and how far ahead an update may be scheduled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Invalid
from chalicelib.domain.firmware_updates import MAX_URL_LIFETIME, Options, _retrieve_date, url_lifetime

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("until_retrieve", "options", "lifetime"),
    [
        (timedelta(0), Options(), timedelta(hours=1)),
        (timedelta(hours=2), Options(retries=3, retry_interval=600), timedelta(hours=3, minutes=30)),
        (timedelta(hours=6), Options(retries=10, retry_interval=3600), MAX_URL_LIFETIME),
    ],
)
def test_the_link_outlives_the_retrieve_date_and_the_retries_up_to_the_cap(until_retrieve, options, lifetime):
    assert url_lifetime(until_retrieve, options) == lifetime


def test_retrieve_dates_in_the_past_mean_now_and_far_ones_are_refused():
    assert _retrieve_date(None, NOW) == NOW
    assert _retrieve_date(NOW - timedelta(days=1), NOW) == NOW
    assert _retrieve_date(NOW + timedelta(hours=6), NOW) == NOW + timedelta(hours=6)
    with pytest.raises(Invalid, match="within 6 hours"):
        _retrieve_date(NOW + timedelta(hours=6, seconds=1), NOW)
