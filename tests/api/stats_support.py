"""Chargers and a pinned clock for the dashboard, statistics and event feed tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.support import LambdaCharger
from tests.unit.ocpp_helpers import result_of

HELSINKI = ZoneInfo("Europe/Helsinki")


def pin_clock(monkeypatch) -> datetime:
    """Now, at half past the current hour (sessions of the tests stay in the last 24 hours)."""
    from chalicelib import clock

    now = clock.now().replace(minute=30, second=0, microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: now)
    return now


def local_date(moment: datetime) -> str:
    return moment.astimezone(HELSINKI).date().isoformat()


def rfc(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def connected(station_id: str) -> LambdaCharger:
    charger = LambdaCharger(station_id)
    assert charger.connect()["statusCode"] == 200
    return charger


def status(charger, connector: int, value: str, error: str = "NoError", at: datetime | None = None, **extra) -> None:
    payload = {"connectorId": connector, "errorCode": error, "status": value, **extra}
    if at is not None:
        payload["timestamp"] = rfc(at)
    assert result_of("StatusNotification", charger.call("StatusNotification", payload)) == {}


def session(charger, now: datetime, hours_ago: float, wh: int, connector: int = 1) -> int:
    start = now - timedelta(hours=hours_ago)
    answer = charger.call("StartTransaction", {"connectorId": connector, "idTag": "12345678", "meterStart": 1_000_000, "timestamp": rfc(start)})
    tx = result_of("StartTransaction", answer)["transactionId"]
    stop = {"transactionId": tx, "meterStop": 1_000_000 + wh, "timestamp": rfc(start + timedelta(minutes=30))}
    result_of("StopTransaction", charger.call("StopTransaction", stop))
    return tx
