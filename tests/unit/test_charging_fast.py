"""Charging rules on the in-memory store (no moto): idempotent start, the energy rule, stop once, tampering."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import charging, metering, station_events
from chalicelib.memstore import memory_store
from chalicelib.ports.aggregates import Scope
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Organization, Station, Token, TokenHolder

T0 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
POWER = 22_000.0


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="g1", group_path="/g1/", point_count=2))
        store.stations.add(Station("ACME", "CP2", group_id="g1", group_path="/g1/"))
        store.stations.add_organization(Organization("ACME"))
        store.stations.add_token("ACME", Token("TAG", "u1"))
        store.stations.add_holder("ACME", TokenHolder("u1", access_group_ids=("g1",)))
        yield store


def entry(at: datetime, wh: float) -> metering.Entry:
    value = metering.Value(metering.ENERGY, "Wh", wh)
    return metering.Entry(at, [value], [{"value": str(wh)}])


def start(station_id: str = "CP1", at: datetime = T0) -> int:
    transaction_id, decision = charging.start("ACME", station_id, 1, "tag", 1_000_000, at, at, POWER)
    assert decision.status == "Accepted"
    return transaction_id


def test_a_retried_start_gets_the_same_transaction(memory):
    assert start() == start()
    assert start(at=T0 + timedelta(minutes=1)) != start()


def test_only_possible_newer_readings_count(memory):
    tx = start()
    charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=10), 99_999_999)], POWER)
    charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=20), 1_005_000)], POWER)
    charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=20), 1_005_000)], POWER)  # a replay
    charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=15), 1_006_000)], POWER)  # older
    session = memory.records.session(tx)
    assert session.last_register_wh == 1_005_000
    assert metering.IMPLAUSIBLE_SAMPLE in session.flags
    marked = {s.energy_wh: s.implausible for s in memory.records.samples_of("ACME", "CP1", tx)}
    assert marked[99_999_999] is True and marked[1_005_000] is False


def test_a_stop_counts_once_in_the_session_and_its_statistics(memory):
    tx = start()
    for _ in range(2):
        charging.stop("ACME", "CP1", tx, 1_007_000, T0 + timedelta(hours=1), T0 + timedelta(hours=1), id_tag="tag")
    session = memory.records.session(tx)
    assert (session.state, session.energy_wh) == ("Completed", 7_000)
    [day] = memory.aggregates.day_totals(Scope.station("ACME", "CP1"), "2026-11-21", "2026-11-21")
    assert (day.sessions, day.energy_wh) == (1, 7000)
    [group_day] = memory.aggregates.day_totals(Scope("ACME", "g1"), "2026-11-21", "2026-11-21")
    assert group_day.per_station == {"CP1": (1, 7000)}


def test_another_stations_session_is_refused_and_logged(memory, caplog):
    tx = start("CP1")
    with caplog.at_level(logging.WARNING):
        charging.meter_values("ACME", "CP2", 1, tx, [entry(T0 + timedelta(minutes=5), 1_001_000)], POWER)
        charging.stop("ACME", "CP2", tx, 1_009_000, T0 + timedelta(hours=1), T0 + timedelta(hours=1))
    session = memory.records.session(tx)
    assert (session.state, session.last_register_wh) == ("Active", 1_000_000)
    assert [r.security_event for r in caplog.records if hasattr(r, "security_event")] == ["foreign_transaction"] * 2


def test_an_impossible_meter_stop_closes_with_the_last_counted_reading(memory):
    tx = start()
    charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=30), 1_004_000)], POWER)
    charging.stop("ACME", "CP1", tx, 90_000_000, T0 + timedelta(hours=1), T0 + timedelta(hours=1))
    session = memory.records.session(tx)
    assert (session.state, session.energy_wh) == ("Completed", 4_000)
    assert metering.METER_STOP_IMPLAUSIBLE in session.flags


def test_an_unknown_stop_is_parked(memory):
    charging.stop("ACME", "CP1", 404, 1, T0, T0, raw={"transactionId": 404})
    assert ("ACME", "CP1", 404) in memory.records.parked


def test_status_reports_move_the_counters_once(memory):
    memory.stations.add(Station("ACME", "CP3", group_id="g1", group_path="/g1/", point_count=2, connected=True))
    request = {"connectorId": 1, "status": "Charging", "errorCode": "NoError"}
    for _ in range(2):
        station_events.status("ACME", "CP3", "m1", request, T0)
    counts = {c.group_key: c.counts for c in memory.aggregates.group_counters("ACME")}
    assert (counts["g1"]["charging"], counts["g1"]["unknown"], counts["g1"]["points"]) == (1, 1, 2)
    assert [s.status for s in memory.records.connector_statuses("ACME", "CP3")] == ["Charging"]


def kept(memory, tx) -> list[datetime]:
    return [s.at for s in memory.records.samples_of("ACME", "CP1", tx)]


def test_plain_counted_readings_are_kept_once_per_sample_interval(memory):
    tx = start()  # T0 = 10:00; 900 s intervals start at 10:00, 10:15, 10:30
    for minute in range(1, 32):
        charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=minute), 1_000_000 + minute * 100)], POWER)
    assert memory.records.session(tx).last_register_wh == 1_003_100  # every reading counted
    assert kept(memory, tx) == [T0 + timedelta(minutes=15), T0 + timedelta(minutes=30)]


def test_every_counted_reading_is_kept_with_an_interval_of_zero(memory, monkeypatch):
    monkeypatch.setenv("CSMS_SAMPLE_INTERVAL_S", "0")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    try:
        tx = start()
        for minute in (1, 2, 3):
            charging.meter_values("ACME", "CP1", 1, tx, [entry(T0 + timedelta(minutes=minute), 1_000_000 + minute)], POWER)
        assert len(kept(memory, tx)) == 3
    finally:
        monkeypatch.delenv("CSMS_SAMPLE_INTERVAL_S")
        get_settings.cache_clear()


def test_a_flagged_frame_and_a_retried_frame_keep_their_samples(memory):
    tx = start()
    at = T0 + timedelta(minutes=2)
    charging.meter_values("ACME", "CP1", 1, tx, [entry(at, 1_000_500)], POWER)
    assert kept(memory, tx) == []  # counted, inside the first interval: the session holds it
    charging.meter_values("ACME", "CP1", 1, tx, [entry(at, 1_000_500)], POWER)  # the charger retries (no answer)
    assert kept(memory, tx) == [at]  # the retry keeps what a crash after counting could have lost
    later = T0 + timedelta(minutes=3)
    charging.meter_values("ACME", "CP1", 1, tx, [entry(later, 1_000_400), entry(later - timedelta(seconds=1), 1_000_600)], POWER)
    assert later in kept(memory, tx)  # the register fell within the frame: flagged, kept
