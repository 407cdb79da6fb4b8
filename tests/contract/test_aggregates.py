"""The aggregates port: live records and counters changed all or nothing, roll-up reads, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.ports.aggregates import (
    ORPHANS,
    GroupNode,
    Increment,
    Live,
    LiveChange,
    Scope,
    StatusReported,
)
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.records import NewSession, SessionClosed
from chalicelib.ports.stations import Station
from tests.contract import seeding

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def counters(store) -> dict[str, dict[str, int]]:
    return {c.group_key: {k: v for k, v in c.counts.items() if v} for c in store.aggregates.group_counters("ACME")}


def test_a_new_live_record_and_its_counters_are_written_together(store):
    live = Live("g1", 2, True, {"1": "Charging"})
    store.aggregates.apply(LiveChange("ACME", "CP1", None, live, counters={"g1": {"stations": 1, "charging": 1}}))
    found = store.aggregates.live("ACME", "CP1")
    assert (found.live, found.rev) == (live, 1)
    assert counters(store) == {"g1": {"stations": 1, "charging": 1}}
    assert store.aggregates.live("ACME", "CP2") is None


def test_a_change_from_a_stale_revision_writes_nothing(store):
    store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g1"), counters={"g1": {"stations": 1}}))
    with pytest.raises(ConditionFailed):
        store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g2"), counters={"g2": {"stations": 1}}))
    with pytest.raises(ConditionFailed):
        store.aggregates.apply(LiveChange("ACME", "CP1", 7, Live("g2"), counters={"g2": {"stations": 1}}))
    assert counters(store) == {"g1": {"stations": 1}}
    store.aggregates.apply(LiveChange("ACME", "CP1", 1, Live(None), counters={"g1": {"stations": -1}, None: {"stations": 1}}))
    assert store.aggregates.live("ACME", "CP1").rev == 2
    assert counters(store) == {ORPHANS: {"stations": 1}, "g1": {}}  # a group that counted stays, at zero


def test_a_removed_station_stops_counting(store):
    store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g1"), counters={"g1": {"stations": 1}}))
    store.aggregates.apply(LiveChange("ACME", "CP1", 1, None, counters={"g1": {"stations": -1}}))
    assert store.aggregates.live("ACME", "CP1") is None
    assert store.aggregates.lives("ACME", ["CP1"]) == {}


def test_a_status_report_is_written_with_the_change(store):
    fields = {"connector_id": 1, "status": "Charging", "error_code": "NoError"}
    change = LiveChange("ACME", "CP1", None, Live("g1", 1, True, {"1": "Charging"}), counters={"g1": {"charging": 1}},
                        effect=StatusReported("m1", fields, T0))
    store.aggregates.apply(change)
    assert [s.status for s in store.records.connector_statuses("ACME", "CP1")] == ["Charging"]
    with pytest.raises(ConditionFailed):
        store.aggregates.apply(change)  # a replay: the record is not new any more, nothing counts twice
    assert counters(store) == {"g1": {"charging": 1}}


def test_lives_by_station(store):
    for station_id, group_id in (("CP1", "g1"), ("CP2", None)):
        store.aggregates.apply(LiveChange("ACME", station_id, None, Live(group_id)))
    assert store.aggregates.lives("ACME", ["CP1", "CP2", "CP3"]) == {"CP1": Live("g1"), "CP2": Live(None)}


def test_a_counter_is_corrected_only_if_still_as_seen(store):
    store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g1"), counters={"g1": {"stations": 3}}))
    assert store.aggregates.correct_counters("ACME", "g1", {"stations": 2, "points": 0}, {"stations": 1, "points": 0}) is False
    assert store.aggregates.correct_counters("ACME", "g1", {"stations": 3, "points": 0}, {"stations": 1, "points": 1}) is True
    assert counters(store) == {"g1": {"stations": 1, "points": 1}}


def test_roll_ups_are_read_by_scope_and_period(store):
    seeding.station(store, Station("ACME", "CP1"))
    store.records.create_session(NewSession(1, "ACME", "CP1", 1, "T", None, "Accepted", T0, 0.0, 1.0, 0.0), T0)
    g1, orphans, station = Scope("ACME", "g1"), Scope("ACME"), Scope.station("ACME", "CP1")
    increments = (
        Increment("scope_day", g1, "2026-03-01", 1, 500.0, per_station={"CP1": (1, 500.0)}),
        Increment("scope_day", g1, "2026-03-02", 2, 100.0),
        Increment("scope_hour", g1, "2026-03-01T12", 1, 500.0, 1, expires=T0),
        Increment("scope_day", orphans, "2026-03-01", 4, 1.0),
        Increment("station_day", station, "2026-03-01", 1, 500.0),
        Increment("station_hour", station, "2026-03-01T12", 1, 500.0, 1),
    )
    assert store.records.close("ACME", "CP1", SessionClosed(1, T0, 500.0, 500.0, rollups=increments))
    days = store.aggregates.day_totals(g1, "2026-03-01", "2026-03-31")
    assert [(d.day, d.sessions, d.energy_wh, d.per_station) for d in days] == [
        ("2026-03-01", 1, 500.0, {"CP1": (1, 500.0)}), ("2026-03-02", 2, 100.0, {})
    ]
    assert [(d.day, d.sessions) for d in store.aggregates.day_totals(g1, "2026-03-02", "2026-03-02")] == [("2026-03-02", 2)]
    assert [(d.sessions, d.per_station) for d in store.aggregates.day_totals(orphans, "2026-03-01", "2026-03-01")] == [(4, {})]
    assert [(d.sessions, d.energy_wh) for d in store.aggregates.day_totals(station, "2026-03-01", "2026-03-01")] == [(1, 500.0)]
    hours = store.aggregates.hour_totals(g1, "2026-03-01T00", "2026-03-01T23")
    assert [(h.sessions, h.energy_wh, h.used) for h in hours] == [(1, 500.0, 1)]
    assert [h.used for h in store.aggregates.hour_totals(station, "2026-03-01T12", "2026-03-01T12")] == [1]
    assert store.aggregates.hour_totals(Scope("ACME", "g2"), "2026-03-01T00", "2026-03-01T23") == []


def test_groups_under_a_path(store):
    for node in (GroupNode("root", "Root", "/root/"), GroupNode("pine", "Pine", "/root/pine/"), GroupNode("x", "X", "/x/")):
        seeding.group(store, "ACME", node)
    assert sorted(g.group_id for g in store.aggregates.groups_under("ACME", "/root/")) == ["pine", "root"]
    assert store.aggregates.groups_under("ACME", "/root/pine/") == [GroupNode("pine", "Pine", "/root/pine/")]
    assert store.aggregates.groups_under("OTHER", "/") == []


def test_the_dashboard_selection_of_an_operator(store):
    seeding.operator(store, "ann")
    assert store.aggregates.dashboard_selection("ann") is None
    store.aggregates.save_dashboard_selection("ann", ["g2", "g1"])
    assert store.aggregates.dashboard_selection("ann") == ["g2", "g1"]
    store.aggregates.save_dashboard_selection("ann", [])
    assert store.aggregates.dashboard_selection("ann") == []


def test_a_station_and_its_live_record_are_read_together(store):
    # Given a station with a live record, and one without
    seeding.station(store, Station("ACME", "CP1", group_id="g1", point_count=2))
    seeding.station(store, Station("ACME", "CP2"))
    live = Live("g1", 2, True, {"1": "Charging"})
    store.aggregates.apply(LiveChange("ACME", "CP1", None, live, counters={"g1": {"stations": 1, "charging": 1}}))

    # When / Then: the same values as the two single reads
    station, found = store.aggregates.station_and_live("ACME", "CP1")
    assert station == store.stations.get("ACME", "CP1")
    assert (station.group_id, station.point_count) == ("g1", 2)
    assert (found.live, found.rev) == (live, 1)
    assert store.aggregates.station_and_live("ACME", "CP2") == (store.stations.get("ACME", "CP2"), None)
    assert store.aggregates.station_and_live("ACME", "NOPE") == (None, None)
