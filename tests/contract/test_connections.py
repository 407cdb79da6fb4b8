"""The connections port, and the live change that opens and closes a connection, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.aggregates import ConnectionClosed, ConnectionOpened, Live, LiveChange
from chalicelib.ports.connections import Connection, Previous, Watched
from chalicelib.ports.errors import ConditionFailed, NotFound
from chalicelib.ports.stations import Station
from tests.contract import seeding

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def station(store):
    seeding.station(store, Station("ACME", "CP1", group_id="g1"))


def test_last_connect_wins_and_each_learns_the_one_it_replaced(store, station):
    connections = store.connections
    assert connections.take_over("ACME", "CP1", "c1", NOW) is None
    assert connections.take_over("ACME", "CP1", "c2", NOW + timedelta(seconds=1)) == Previous("c1", NOW)
    assert connections.current("ACME", "CP1") == "c2"
    assert store.stations.get("ACME", "CP1").connected is True


def test_a_purged_station_cannot_be_taken_over(store):
    with pytest.raises(NotFound):
        store.connections.take_over("ACME", "GONE", "c1", NOW)
    assert store.connections.current("ACME", "GONE") is None


def test_a_connection_opens_with_the_live_record_only_while_it_is_current(store, station):
    store.connections.take_over("ACME", "CP1", "c1", NOW)
    live = Live("g1", 1, True, {})
    opened = ConnectionOpened("c1", NOW, {1: 22000.0})
    store.aggregates.apply(LiveChange("ACME", "CP1", None, live, counters={"g1": {"stations": 1}}, effect=opened))
    assert store.connections.get("c1") == Connection("c1", "ACME", "CP1", NOW, {1: 22000.0})
    assert store.connections.get("c1").powers == {1: 22000.0}
    store.connections.take_over("ACME", "CP1", "c2", NOW)
    late = LiveChange("ACME", "CP1", 1, live, write=False, effect=ConnectionOpened("c1", NOW))
    with pytest.raises(ConditionFailed):
        store.aggregates.apply(late)
    assert store.aggregates.live("ACME", "CP1").rev == 1


def test_a_disconnect_clears_only_its_own_connection(store, station):
    store.connections.take_over("ACME", "CP1", "c1", NOW)
    assert store.connections.mark_disconnected("ACME", "CP1", "other", NOW) is False
    assert store.connections.current("ACME", "CP1") == "c1"
    assert store.connections.mark_disconnected("ACME", "CP1", "c1", NOW) is True
    assert store.connections.current("ACME", "CP1") is None
    assert store.stations.get("ACME", "CP1").connected is False
    assert store.connections.mark_disconnected("ACME", "GONE", "c1", NOW) is False


def test_a_closing_change_is_refused_whole_when_a_newer_connection_won(store, station):
    store.connections.take_over("ACME", "CP1", "c2", NOW)
    offline = LiveChange("ACME", "CP1", None, Live("g1", 1, False), counters={"g1": {"offline": 1}},
                         effect=ConnectionClosed("c1", NOW))
    with pytest.raises(ConditionFailed):
        store.aggregates.apply(offline)
    assert store.aggregates.live("ACME", "CP1") is None
    assert store.aggregates.group_counters("ACME") == []
    assert store.connections.current("ACME", "CP1") == "c2"


def test_connection_items_are_deleted(store, station):
    store.connections.take_over("ACME", "CP1", "c1", NOW)
    store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g1"), effect=ConnectionOpened("c1", NOW)))
    store.connections.delete("c1")
    store.connections.delete("c1")
    assert store.connections.get("c1") is None


def test_a_connection_carries_the_registration_it_opened_with_and_answers_since(store, station):
    store.connections.take_over("ACME", "CP1", "c1", NOW)
    opened = ConnectionOpened("c1", NOW, {}, "Pending")
    store.aggregates.apply(LiveChange("ACME", "CP1", None, Live("g1", 1, True, {}), counters={"g1": {"stations": 1}}, effect=opened))
    assert store.connections.get("c1").registration == "Pending"
    store.connections.set_registration("c1", "Accepted")
    assert store.connections.get("c1").registration == "Accepted"
    store.connections.set_registration("c1", "Rejected")
    assert store.connections.get("c1").registration == "Rejected"
    store.connections.set_registration("gone", "Accepted")  # nothing for a closed connection
    assert store.connections.get("gone") is None


def test_silence_checks_are_found_when_due_earliest_first_and_can_be_moved(store):
    # Given three stations' connections, opened with their first silence check at +10, +2 and +5 minutes
    for station_id, connection_id, minutes in (("CP1", "c1", 10), ("CP2", "c2", 2), ("CP3", "c3", 5)):
        seeding.station(store, Station("ACME", station_id, group_id="g1"))
        store.connections.take_over("ACME", station_id, connection_id, NOW)
        opened = ConnectionOpened(connection_id, NOW, registration="Pending" if station_id == "CP3" else "Accepted",
                                  check_at=NOW + timedelta(minutes=minutes))
        store.aggregates.apply(LiveChange("ACME", station_id, None, Live("g1", 1, True, {}), effect=opened))
    # Then at +5 minutes the two due ones come, earliest first, with what judging them needs
    due = store.connections.due_checks(NOW + timedelta(minutes=5))
    assert due == [
        Watched("c2", "ACME", "CP2", "Accepted", NOW + timedelta(minutes=2)),
        Watched("c3", "ACME", "CP3", "Pending", NOW + timedelta(minutes=5)),
    ]
    assert [w.connection_id for w in store.connections.due_checks(NOW + timedelta(minutes=5), limit=1)] == ["c2"]
    assert store.connections.get("c2").check_at == NOW + timedelta(minutes=2)
    # When c2's check moves past +5 minutes and c3's connection goes
    store.connections.check_later("c2", NOW + timedelta(minutes=6))
    store.connections.delete("c3")
    store.connections.check_later("c3", NOW)  # a gone connection is not brought back
    # Then nothing is due at +5, and c1 then c2 by +10
    assert store.connections.due_checks(NOW + timedelta(minutes=5)) == []
    assert [w.connection_id for w in store.connections.due_checks(NOW + timedelta(minutes=10))] == ["c2", "c1"]
    assert store.connections.get("c3") is None
