"""Silent stations (ADR 0022) on the in-memory store: judged by the gateway's last activity when their check is due.

The heartbeat interval is 120 s here (silent after 4 minutes, sooner than API Gateway's 10-minute idle
time-out), except where the default 300 s leaves the silence to the gateway.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.domain import commands, connections, identity
from chalicelib.jobs import silent_stations
from chalicelib.jobs.runner import Tick
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Station
from chalicelib.settings import get_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CP1 = identity.StationIdentity("ACME", "CP1")


@pytest.fixture
def memory(monkeypatch):
    monkeypatch.setenv("CSMS_HEARTBEAT_INTERVAL", "120")
    get_settings.cache_clear()
    moments = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moments["now"])
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="g1", group_path="/g1/", point_count=2))
        store.stations.add(Station("ACME", "CP2", group_id="g1", group_path="/g1/", point_count=1))
        connections._CACHE.clear()
        store.moments = moments
        yield store
        connections._CACHE.clear()
    get_settings.cache_clear()


def tick(store, after: timedelta) -> dict:
    at = NOW + after
    store.moments["now"] = at
    return dict(silent_stations.run(Tick(at, at)))


def offline(store) -> int:
    return sum(c.counts.get("offline", 0) for c in store.aggregates.group_counters("ACME"))


def test_a_station_heard_recently_is_kept_and_checked_again_when_it_could_be_silent(memory):
    # Given CP1 connected at 12:00 (silent after 4 minutes) and last heard at 12:02
    assert connections.connected(CP1, "c1", NOW)
    memory.chargers.active("c1", NOW + timedelta(minutes=2))
    # When ticks run before its first check is due, Then the gateway is not even asked
    assert tick(memory, timedelta(minutes=3)) == {}
    # When the check is due at 12:04, Then it is alive and its next check is 12:06
    assert tick(memory, timedelta(minutes=4)) == {"alive": 1}
    assert memory.connections.get("c1").check_at == NOW + timedelta(minutes=6)
    assert tick(memory, timedelta(minutes=5)) == {}
    assert memory.connections.current("ACME", "CP1") == "c1" and offline(memory) == 0


def test_with_the_default_interval_the_gateways_idle_time_out_does_the_work_and_the_job_only_sweeps(memory, monkeypatch):
    # Given the default heartbeat (300 s: silent after 10 minutes, when API Gateway closes an idle connection
    # anyway) and CP1's socket closed without its $disconnect ever arriving
    monkeypatch.setenv("CSMS_HEARTBEAT_INTERVAL", "300")
    get_settings.cache_clear()
    assert connections.connected(CP1, "c1", NOW)
    memory.chargers.gone("c1")
    # Then nothing is checked (no write, no GET) while the connection may live: 2 hours at most
    assert memory.connections.get("c1").check_at == NOW + timedelta(hours=2, minutes=5)
    assert tick(memory, timedelta(minutes=30)) == {}
    # And after that the lost $disconnect is made up for
    assert tick(memory, timedelta(hours=2, minutes=5)) == {"gone": 1}
    assert memory.connections.current("ACME", "CP1") is None and offline(memory) == 2


def test_a_silent_station_is_disconnected_its_socket_closed_and_its_pending_calls_failed(memory, caplog):
    # Given CP1 connected, last heard at 12:01, with a call pending since 12:04 (5 minutes to answer), and a queued one
    assert connections.connected(CP1, "c1", NOW)
    memory.chargers.active("c1", NOW + timedelta(minutes=1))
    memory.moments["now"] = NOW + timedelta(minutes=4)
    pending = commands.send("ACME", "CP1", "ClearCache", {}, timeout_s=300)
    queued_later = commands.send("ACME", "CP2", "ClearCache", {}, queue=True)
    # When the tick of 12:05:30 runs (4.5 minutes of silence)
    with caplog.at_level(logging.INFO, logger="csms"):
        assert tick(memory, timedelta(minutes=5, seconds=30)) == {"silent": 1}
    # Then its points count Offline, its connection is gone and the socket closed
    assert (memory.connections.current("ACME", "CP1"), memory.connections.get("c1")) == (None, None)
    assert offline(memory) == 2 and memory.stations.get("ACME", "CP1").connected is False
    assert memory.chargers.closed == ["c1"]
    # And its pending call failed with a reason an operator reads, the queued one (another station's) waits
    failed = commands.get("ACME", "CP1", pending.command_id)
    assert (failed.state, failed.error) == ("Failed", "The charging station disconnected before answering.")
    assert commands.get("ACME", "CP2", queued_later.command_id).state == "Queued"
    # And an operator's log line says which station, since when and why
    [line] = [r for r in caplog.records if r.getMessage() == "silent station disconnected"]
    assert (line.levelname, line.station_id, line.silent_s, line.limit_s) == ("WARNING", "CP1", 270, 240)
    assert line.last_active_at == "2026-03-01T12:01:00+00:00"
    # And nothing is due any more
    assert tick(memory, timedelta(minutes=30)) == {}


def test_a_pending_station_is_silent_after_twice_its_60_second_interval(memory):
    pending_cp2 = identity.StationIdentity("ACME", "CP2", registration="Pending")
    assert connections.connected(pending_cp2, "c2", NOW)
    memory.chargers.active("c2", NOW)
    assert tick(memory, timedelta(minutes=1)) == {}
    assert tick(memory, timedelta(minutes=2, seconds=1)) == {"silent": 1}


def test_a_connection_closed_without_a_disconnect_event_is_cleared_without_closing_it(memory):
    # Given CP1's socket closed but its $disconnect never arrived
    assert connections.connected(CP1, "c1", NOW)
    memory.chargers.gone("c1")
    # When its check is due, Then the station is Offline and nothing was closed
    assert tick(memory, timedelta(minutes=10)) == {"gone": 1}
    assert memory.connections.current("ACME", "CP1") is None and offline(memory) == 2
    assert memory.chargers.closed == []


def test_a_station_that_reconnects_while_the_job_judges_it_stays_online(memory):
    # Given CP1 silent on c1 since 12:00
    assert connections.connected(CP1, "c1", NOW)
    memory.chargers.active("c1", NOW)
    real = memory.chargers.last_active

    def reconnecting(connection_id):
        # When the job has read c1's last activity, CP1 reconnects as c2 (which closes c1) and gets a call
        answer = real(connection_id)
        memory.chargers.active("c2", NOW + timedelta(minutes=15))
        assert connections.connected(CP1, "c2", NOW + timedelta(minutes=15))
        commands.send("ACME", "CP1", "ClearCache", {})
        return answer

    memory.chargers.last_active = reconnecting
    assert tick(memory, timedelta(minutes=15)) == {"silent": 1}
    memory.chargers.last_active = real
    # Then the reconnect wins: CP1 is online on c2, counts no Offline point, and its new call still waits
    assert memory.connections.current("ACME", "CP1") == "c2"
    assert offline(memory) == 0 and memory.stations.get("ACME", "CP1").connected is True
    assert [c.state for c in commands.history("ACME", "CP1").items] == ["Pending"]
    # And c1's item is gone while c2 keeps its own check
    assert memory.connections.get("c1") is None
    assert memory.connections.get("c2").check_at == NOW + timedelta(minutes=19)


def test_a_failing_check_does_not_stop_the_others_and_is_tried_again_next_minute(memory, caplog):
    # Given two silent stations, and the gateway failing on c1
    assert connections.connected(CP1, "c1", NOW)
    assert connections.connected(identity.StationIdentity("ACME", "CP2"), "c2", NOW)
    memory.chargers.active("c1", NOW)
    memory.chargers.active("c2", NOW)
    real = memory.chargers.last_active

    def throttled(connection_id):
        if connection_id == "c1":
            raise RuntimeError("TooManyRequestsException")
        return real(connection_id)

    memory.chargers.last_active = throttled
    with caplog.at_level(logging.INFO, logger="csms"):
        assert tick(memory, timedelta(minutes=11)) == {"failed": 1, "silent": 1}
    assert [r.station_id for r in caplog.records if r.getMessage() == "silence check failed"] == ["CP1"]
    assert memory.connections.current("ACME", "CP2") is None
    # When the gateway answers again, Then the next tick disconnects c1 too
    memory.chargers.last_active = real
    assert tick(memory, timedelta(minutes=12)) == {"silent": 1}
    assert memory.connections.current("ACME", "CP1") is None


def test_pages_of_due_checks_are_all_judged_in_one_tick(memory, monkeypatch):
    monkeypatch.setattr(silent_stations, "BATCH", 2)
    for i in range(5):
        memory.stations.add(Station("ACME", f"S{i}", group_id="g1", group_path="/g1/"))
        assert connections.connected(identity.StationIdentity("ACME", f"S{i}"), f"s{i}", NOW)
        memory.chargers.active(f"s{i}", NOW + timedelta(minutes=i))
    assert tick(memory, timedelta(minutes=6, seconds=30)) == {"silent": 3, "alive": 2}
