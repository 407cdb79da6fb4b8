"""Aggregates kept as things happen: live counters from OCPP frames, session roll-ups counted once.

The live counters' rules run on the in-memory demo (`live`); recounts and roll-ups, which assert
DynamoDB's item keys, stay on moto (`acme`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import aggregates
from chalicelib.domain.aggregates import Live, contribution, deltas
from chalicelib.domain.statistics import live_counts
from chalicelib.storage.models import GroupLiveItem, RollupDayItem, RollupHourItem, StationDayItem, StationHourItem
from tests.support import LambdaCharger
from tests.unit.ocpp_helpers import result_of

NOW = datetime(2026, 11, 21, 12, 30, tzinfo=UTC)


@pytest.fixture
def acme(demo, monkeypatch):
    """The demo organization, the clock pinned, and the ids of its groups by short name."""
    from chalicelib import clock
    from chalicelib.storage.models import ChargingGroupItem

    monkeypatch.setattr(clock, "now", lambda: NOW)
    names = {g.name: g for g in ChargingGroupItem.query("ACME")}
    return {
        "root": names["ACME Shopping Malls"],
        "pine": names["ACME Pine Mall"],
        "birch": names["ACME Birch Mall"],
    }


_world = None


@pytest.fixture
def live(world, monkeypatch):
    """The demo on the in-memory store, the clock pinned, its groups by short name (as `acme`)."""
    global _world
    from chalicelib import clock

    monkeypatch.setattr(clock, "now", lambda: NOW)
    names = {g.name: g for g in world.store.estate.subtree("ACME", "/")}
    _world = world
    yield {"root": names["ACME Shopping Malls"], "pine": names["ACME Pine Mall"], "birch": names["ACME Birch Mall"]}
    _world = None


def counts(group) -> dict:
    found = live_counts("ACME").get(group.group_id, {})
    return {k: v for k, v in found.items() if v}


def status(charger, connector, value, error="NoError", **extra):
    payload = {"connectorId": connector, "errorCode": error, "status": value, "timestamp": "2026-11-21T10:00:00Z", **extra}
    assert result_of("StatusNotification", charger.call("StatusNotification", payload)) == {}


def connected(station_id="EVI00000013"):
    charger = _world.charger(station_id) if _world is not None else LambdaCharger(station_id)
    assert charger.connect()["statusCode"] == 200
    return charger


# --- pure arithmetic ---------------------------------------------------------------------------------
def test_a_disconnected_station_counts_its_points_offline():
    live = Live("g1", point_count=2, connected=False, statuses={"1": "Charging"})
    assert contribution(live) == {"stations": 1, "points": 2, "offline": 2}


def test_points_that_never_reported_take_the_station_status_else_unknown():
    live = Live("g1", point_count=3, connected=True, statuses={"1": "Charging", "5": "Faulted"})
    assert contribution(live) == {"stations": 1, "points": 3, "charging": 1, "unknown": 2}
    live.statuses["0"] = "Unavailable"
    assert contribution(live) == {"stations": 1, "points": 3, "charging": 1, "unavailable": 2}


def test_faulted_or_an_error_code_is_an_issue():
    live = Live("g1", point_count=2, connected=True, statuses={"1": "Faulted", "2": aggregates.status_code("Available", "OtherError")})
    assert contribution(live) == {"stations": 1, "points": 2, "faulted": 1, "available": 1, "issues": 2}


def test_a_move_takes_the_whole_contribution_to_the_new_group():
    old = Live("g1", point_count=1, connected=True, statuses={"1": "Charging"})
    new = Live("g2", point_count=1, connected=True, statuses={"1": "Charging"})
    assert deltas(old, new) == {"g1": {"stations": -1, "points": -1, "charging": -1}, "g2": {"stations": 1, "points": 1, "charging": 1}}
    assert deltas(old, old) == {}


# --- live counters from OCPP frames ----------------------------------------------------------------
def test_created_stations_count_offline(live):
    # Given the demo (two single-point stations per mall, never connected)
    # Then each mall counts two stations whose points are Offline
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 2}
    assert counts(live["root"]) == {}


def test_connecting_and_status_changes_move_the_counters(live):
    # Given a connected station
    charger = connected()
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "unknown": 1}
    # When its point starts charging, then becomes available with an error
    status(charger, 1, "Charging")
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "charging": 1}
    status(charger, 1, "Available", error="OtherError", info="could not handle command")
    # Then the point moved from Charging to Available and counts as an issue
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "available": 1, "issues": 1}


def test_a_retried_status_notification_counts_once(live):
    charger = connected()
    frame = '[2,"st-9","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging","timestamp":"2026-11-21T10:00:00Z"}]'
    charger.send_raw(frame)
    charger.send_raw(frame)
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "charging": 1}


def test_disconnect_shows_offline_and_reconnect_restores_the_statuses(live):
    # Given a station charging
    charger = connected()
    status(charger, 1, "Charging")
    # When it disconnects
    charger.disconnect()
    # Then its point is Offline
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 2}
    # When it reconnects, its last status counts again
    connected()
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "charging": 1}


def test_the_old_socket_closing_after_a_reconnect_changes_nothing(live):
    old = connected()
    new = connected()
    status(new, 1, "Charging")
    old.disconnect()
    assert counts(live["pine"])["charging"] == 1 and counts(live["pine"])["offline"] == 1


def test_connector_zero_is_the_station_not_a_point(live):
    charger = connected()
    status(charger, 0, "Unavailable")
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "unavailable": 1}
    status(charger, 1, "Available")
    assert counts(live["pine"]) == {"stations": 2, "points": 2, "offline": 1, "available": 1}


def test_management_moves_resizes_and_removes_stations(live):
    pine, birch = live["pine"], live["birch"]
    status(connected(), 1, "Charging")
    # When the station moves to Birch, gets two points, then is removed
    aggregates.station_moved("ACME", "EVI00000013", pine.group_id, birch.group_id, NOW)
    assert counts(pine) == {"stations": 1, "points": 1, "offline": 1}
    assert counts(birch) == {"stations": 3, "points": 3, "offline": 2, "charging": 1}
    aggregates.points_changed("ACME", "EVI00000013", birch.group_id, 1, 2, NOW)
    assert counts(birch) == {"stations": 3, "points": 4, "offline": 2, "charging": 1, "unknown": 1}
    aggregates.station_removed("ACME", "EVI00000013", birch.group_id, NOW)
    assert counts(birch) == {"stations": 2, "points": 2, "offline": 2}
    # A second call changes nothing (each interface call is idempotent)
    aggregates.station_removed("ACME", "EVI00000013", birch.group_id, NOW)
    assert counts(birch) == {"stations": 2, "points": 2, "offline": 2}


def test_recount_builds_missing_records_and_corrects_drift(acme):
    from chalicelib.storage.models import StationLiveItem

    # Given a counter changed behind the system's back and a station without a live record
    GroupLiveItem("ACME#LIVE", acme["pine"].group_id).update(actions=[GroupLiveItem.charging.add(5)])
    StationLiveItem.get("ACME#EVI00000015", "LIVE").delete()
    # When the recount runs
    report = aggregates.recount("ACME")
    # Then the counters are the sums of the stations again
    assert report["created"] == 1 and report["stations"] == 6
    assert counts(acme["pine"]) == {"stations": 2, "points": 2, "offline": 2}
    assert counts(acme["birch"]) == {"stations": 2, "points": 2, "offline": 2}
    assert aggregates.recount("ACME")["corrected_groups"] == 0


# --- session roll-ups -------------------------------------------------------------------------------
def session(charger, start="2026-11-21T10:00:00Z", stop="2026-11-21T11:00:00Z", meter_stop=1_007_510, connector=1):
    answer = charger.call("StartTransaction", {"connectorId": connector, "idTag": "12345678", "meterStart": 1_000_000, "timestamp": start})
    tx = result_of("StartTransaction", answer)["transactionId"]
    frame = {"transactionId": tx, "idTag": "12345678", "meterStop": meter_stop, "timestamp": stop, "reason": "Local"}
    charger.call("StopTransaction", frame)
    return tx, frame


def test_a_session_is_rolled_up_once_even_when_the_stop_is_retried(acme):
    charger = connected()
    tx, stop = session(charger)
    charger.call("StopTransaction", stop)  # retried by the charger
    # Then every scope holding the station counts it once: root and Pine, per local day and UTC hour
    for group in (acme["root"], acme["pine"]):
        day = RollupDayItem.get(f"ACME#G#{group.group_id}", "D#2026-11-21")
        hour = RollupHourItem.get(f"ACME#G#{group.group_id}", "H#2026-11-21T10")
        assert (day.sessions, day.energy_wh) == (1, 7510)
        assert (hour.sessions, hour.energy_wh, hour.used) == (1, 7510, 1)
    assert StationDayItem.get("ACME#EVI00000013", "DAY#2026-11-21").sessions == 1
    station_hour = StationHourItem.get("ACME#EVI00000013", "HOUR#2026-11-21T10")
    assert (station_hour.sessions, station_hour.used) == (1, 1)


def test_days_are_the_organizations_local_days(acme):
    # Given Helsinki (UTC+2 in November): 22:30 UTC is already the next local day
    session(connected(), start="2026-11-20T22:30:00Z", stop="2026-11-20T23:00:00Z")
    assert RollupDayItem.get(f"ACME#G#{acme['root'].group_id}", "D#2026-11-21").sessions == 1
    assert StationDayItem.get("ACME#EVI00000013", "DAY#2026-11-21").sessions == 1


def test_the_stations_own_group_keeps_per_station_values(acme):
    charger = connected()
    session(charger)
    session(charger, start="2026-11-21T11:00:00Z", stop="2026-11-21T11:30:00Z", meter_stop=1_002_000)
    from chalicelib.storage.aggregates import scope_day_totals

    [(day, sessions, energy, own)] = list(scope_day_totals(f"ACME#G#{acme['pine'].group_id}", "2026-11-21", "2026-11-21"))
    assert (day, sessions, energy, own) == ("2026-11-21", 2, 9510, {"EVI00000013": (2, 9510)})
    [(_, _, _, root_own)] = list(scope_day_totals(f"ACME#G#{acme['root'].group_id}", "2026-11-21", "2026-11-21"))
    assert root_own == {}


def test_old_sessions_skip_the_hourly_items(acme):
    session(connected(), start="2026-11-19T10:00:00Z", stop="2026-11-21T11:00:00Z")
    assert RollupDayItem.get(f"ACME#G#{acme['pine'].group_id}", "D#2026-11-19").sessions == 1
    assert RollupHourItem.count(f"ACME#G#{acme['pine'].group_id}", RollupHourItem.sk.startswith("H#")) == 0


def used_points(group_id: str) -> int:
    from chalicelib.domain.statistics import last_24_hours
    from chalicelib.ports.aggregates import Scope

    return last_24_hours([Scope("ACME", group_id)], NOW).used_points


def test_a_point_counts_once_in_24_hours_whatever_its_sessions(acme):
    # Given point 1 used three times (stops out of order) and point 2 once, in the last hours
    charger = connected()
    session(charger, start="2026-11-21T08:00:00Z", stop="2026-11-21T08:30:00Z")
    session(charger, start="2026-11-21T10:00:00Z", stop="2026-11-21T10:30:00Z")
    session(charger, start="2026-11-21T09:00:00Z", stop="2026-11-21T11:30:00Z")
    session(charger, start="2026-11-21T09:00:00Z", stop="2026-11-21T09:30:00Z", connector=2)
    # Then the scopes count two distinct points and four sessions
    pine = acme["pine"].group_id
    assert used_points(pine) == 2 and used_points(acme["root"].group_id) == 2
    from chalicelib.domain.statistics import last_24_hours
    from chalicelib.ports.aggregates import Scope

    cards = last_24_hours([Scope.station("ACME", "EVI00000013")], NOW)
    assert (cards.charging_events, cards.used_points) == (4, 2)


def test_a_moved_station_takes_its_point_out_of_the_old_groups_window(acme):
    charger = connected()
    session(charger, start="2026-11-21T08:00:00Z", stop="2026-11-21T08:30:00Z")
    from chalicelib.storage.models import StationItem

    birch = acme["birch"]
    StationItem("ACME", "EVI00000013").update(actions=[StationItem.group_id.set(birch.group_id), StationItem.group_path.set(birch.path)])
    session(charger, start="2026-11-21T10:00:00Z", stop="2026-11-21T10:30:00Z")
    # The point's latest use is in Birch now: Pine's window no longer counts it, the root's once
    assert used_points(acme['pine'].group_id) == 0
    assert used_points(birch.group_id) == 1
    assert used_points(acme['root'].group_id) == 1
