"""Charger HTTP Basic guessing at $connect is throttled per (station, address) and per address (ADR 0009)
(app.py's handlers on the in-memory demo; the counters' DynamoDB conditions: tests/contract/test_throttle.py)."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from chalicelib.domain import provisioning as p

RIGHT = "s3cret-Pass-42"
CHARGER = "198.51.100.20"
STRANGER = "203.0.113.99"
_world = None


def _connect(password: str | None, source: str, station: str = "SECURE01", headers: dict | None = None) -> int:
    sent = dict(headers or {})
    if password is not None:
        sent["Authorization"] = "Basic " + base64.b64encode(f"{station}:{password}".encode()).decode()
    return _world.charger(station, org="ACME", headers=sent, source_ip=source).connect()["statusCode"]


@pytest.fixture(autouse=True)
def _charging(world):
    global _world
    _world = world
    yield
    _world = None


@pytest.fixture
def secure():
    p.create_station("ACME", "SECURE01", password=RIGHT)
    p.create_station("ACME", "SECURE02", password=RIGHT)


def test_fifty_wrong_passwords_do_not_end_in_a_connection(secure):
    # Given a stranger trying passwords at one station from one address
    seen = [_connect(f"guess-{i}", STRANGER) for i in range(50)]
    # Then five are checked and refused, the rest refused unchecked with 429
    assert seen == [401] * 5 + [429] * 45
    # And the right password from that address is refused too, until the window ends
    assert _connect(RIGHT, STRANGER) == 429


def test_a_stranger_cannot_lock_out_a_working_charger(secure):
    for i in range(20):
        _connect(f"guess-{i}", STRANGER)
    # The charger at its own address still connects with its password
    assert _connect(RIGHT, CHARGER) == 200


def test_after_the_window_the_right_password_connects(secure, monkeypatch):
    from chalicelib import clock

    for i in range(6):
        _connect(f"guess-{i}", STRANGER)
    assert _connect(RIGHT, STRANGER) == 429
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=15, seconds=1))
    assert _connect(RIGHT, STRANGER) == 200


def test_a_success_forgets_the_failures_of_its_address(secure):
    assert [_connect("wrong", CHARGER) for _ in range(4)] == [401] * 4
    assert _connect(RIGHT, CHARGER) == 200
    assert [_connect("wrong", CHARGER) for _ in range(6)] == [401] * 5 + [429]


def test_one_address_is_throttled_over_all_stations(secure):
    # Given an address spreading 50 failures over two stations (under the per-station limit each time)
    for i in range(10):
        p.create_station("ACME", f"SPRAY{i:02d}", password=RIGHT)
    seen = [_connect("wrong", STRANGER, station=f"SPRAY{i // 5:02d}") for i in range(50)]
    assert seen == [401] * 50
    # Then the address is throttled at every station, and other addresses are not
    assert _connect(RIGHT, STRANGER, station="SECURE02") == 429
    assert _connect(RIGHT, CHARGER, station="SECURE02") == 200


def test_missing_credentials_count_as_failures(secure):
    assert [_connect(None, STRANGER) for _ in range(6)] == [401] * 5 + [429]


def test_stations_without_a_password_are_not_throttled():
    assert [_world.charger("EVI00000013", source_ip=STRANGER).connect()["statusCode"] for _ in range(7)] == [200] * 7


def test_behind_cloudfront_the_viewer_address_is_the_source(secure, monkeypatch):
    from chalicelib.settings import get_settings

    monkeypatch.setenv("CSMS_TRUST_VIEWER_ADDRESS", "1")
    get_settings.cache_clear()
    edge = "130.176.0.1"  # every charger arrives from a CloudFront edge address
    try:
        for i in range(6):
            _connect(f"guess-{i}", edge, headers={"CloudFront-Viewer-Address": f"{STRANGER}:41000"})
        assert _connect(RIGHT, edge, headers={"CloudFront-Viewer-Address": f"{CHARGER}:41000"}) == 200
        assert _connect(RIGHT, edge, headers={"CloudFront-Viewer-Address": f"{STRANGER}:41000"}) == 429
    finally:
        get_settings.cache_clear()
