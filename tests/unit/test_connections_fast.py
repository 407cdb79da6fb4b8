"""Connection and Authorize rules on the in-memory store: no moto, milliseconds per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import aggregates, connections, identity
from chalicelib.domain.authorization import authorize
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Organization, Station, Token, TokenHolder

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="g1", group_path="/g1/", point_count=2))
        connections._CACHE.clear()
        yield store
        connections._CACHE.clear()


def counters(store) -> dict[str, dict[str, int]]:
    return {c.group_key: {k: v for k, v in c.counts.items() if v} for c in store.aggregates.group_counters("ACME")}


def test_connect_brings_the_points_online_and_disconnect_takes_them_offline(memory):
    who = identity.StationIdentity("ACME", "CP1", {1: 22000.0})
    assert connections.connected(who, "c1", NOW) is True
    assert counters(memory) == {"g1": {"stations": 1, "points": 2, "unknown": 2}}
    assert connections.station_of("c1") == who
    connections._CACHE.clear()
    assert connections.station_of("c1").powers == {1: 22000.0}
    assert connections.disconnected("c1", NOW + timedelta(minutes=1)) == who
    assert counters(memory) == {"g1": {"stations": 1, "points": 2, "offline": 2}}
    assert memory.connections.get("c1") is None
    assert memory.stations.get("ACME", "CP1").connected is False


def test_last_connect_wins_and_the_old_disconnect_changes_nothing(memory):
    who = identity.StationIdentity("ACME", "CP1")
    assert connections.connected(who, "c1", NOW)
    assert connections.connected(who, "c2", NOW + timedelta(minutes=1))
    assert memory.chargers.closed == ["c1"]
    connections.disconnected("c1", NOW + timedelta(minutes=2))
    assert memory.connections.current("ACME", "CP1") == "c2"
    assert counters(memory)["g1"].get("offline") is None


def test_a_replaced_connection_that_stays_gone_is_given_up_after_the_retries(memory, monkeypatch):
    # Given c1 still in its own $connect (Gone for a moment) when c2 replaces it
    monkeypatch.setattr(connections, "CLOSE_RETRIES", (0.0, 0.0))
    who = identity.StationIdentity("ACME", "CP1")
    assert connections.connected(who, "c1", NOW)
    memory.chargers.gone("c1")
    # When c2 connects, Then c1 is reported gone after the retries and c2 is the station's connection
    assert connections.connected(who, "c2", NOW + timedelta(seconds=1))
    assert memory.chargers.closed == []
    assert memory.connections.current("ACME", "CP1") == "c2"


def test_a_purged_station_is_refused(memory):
    assert connections.connected(identity.StationIdentity("ACME", "GONE"), "c1", NOW) is False


def test_auto_registration_and_the_short_url(memory):
    memory.stations.add_organization(Organization("OPEN", auto_register=True))
    who, station, _ = identity.arrival("NEW1", "OPEN", NOW)
    assert station.registration == "Pending" and who.org_id == "OPEN"
    assert identity.arrival("NEW1", None, NOW)[0].org_id == "OPEN"
    with pytest.raises(identity.ConnectRefused, match="unknown charge point"):
        identity.arrival("NOBODY", "ACME", NOW)
    memory.stations.add(Station("OTHER", "TWIN"))
    memory.stations.add(Station("ACME", "TWIN"))
    with pytest.raises(identity.ConnectRefused, match="ambiguous"):
        identity.arrival("TWIN", None, NOW)


def test_recount_rebuilds_what_changes_left_behind(memory):
    assert aggregates.recount("ACME") == {"stations": 1, "created": 1, "corrected_groups": 0}
    memory.aggregates.correct_counters("ACME", "g1", counters(memory)["g1"], {"stations": 5})
    assert aggregates.recount("ACME")["corrected_groups"] == 1
    assert counters(memory) == {"g1": {"stations": 1, "points": 2, "offline": 2}}


@pytest.mark.parametrize(
    ("token", "holder", "group_active", "expected"),
    [
        (Token("T", "u"), TokenHolder("u", access_station_ids=("CP1",)), None, "Accepted"),
        (Token("T", "u"), TokenHolder("u", access_group_ids=("g1",)), None, "Accepted"),
        (Token("T", "u"), TokenHolder("u", access_group_ids=("g2",)), None, "Invalid"),
        (Token("T", "u", status="Blocked"), TokenHolder("u", access_station_ids=("CP1",)), None, "Blocked"),
        (Token("T", "u", valid_to=NOW), TokenHolder("u", access_station_ids=("CP1",)), None, "Expired"),
        (Token("T", "u", valid_from=NOW + timedelta(1)), TokenHolder("u", access_station_ids=("CP1",)), None, "Invalid"),
        (Token("T", "u"), TokenHolder("u", active=False, access_station_ids=("CP1",)), None, "Blocked"),
        (Token("T", "u"), TokenHolder("u", user_group_id="ug", access_station_ids=("CP1",)), False, "Blocked"),
    ],
)
def test_authorize_rules(memory, token, holder, group_active, expected):
    memory.stations.add_token("ACME", token)
    memory.stations.add_holder("ACME", holder)
    if group_active is not None:
        memory.stations.add_user_group("ACME", holder.user_group_id, group_active)
    assert authorize("ACME", "CP1", "t", NOW).status == expected
    assert authorize("ACME", "CP1", " ", NOW).status == "Invalid"


def test_a_live_record_read_with_the_station_that_went_stale_is_read_again(memory):
    # Given c1 connected, and c2's $connect having read the station and its live record (online, c1's)
    assert connections.connected(identity.StationIdentity("ACME", "CP1"), "c1", NOW)
    who, _, live = identity.arrival("CP1", "ACME", NOW + timedelta(minutes=1))
    assert live.live.connected is True
    # When c1's $disconnect lands before c2's $connect writes (the station counted Offline meanwhile)
    connections.disconnected("c1", NOW + timedelta(minutes=1))
    assert counters(memory)["g1"]["offline"] == 2
    assert connections.connected(who, "c2", NOW + timedelta(minutes=1), live)

    # Then the stale record was not written over: c2 is current and its points count online again
    assert memory.connections.current("ACME", "CP1") == "c2"
    assert counters(memory) == {"g1": {"stations": 1, "points": 2, "unknown": 2}}
    assert memory.aggregates.live("ACME", "CP1").live.connected is True


def test_connect_reads_the_live_record_with_the_station_and_not_again(memory, monkeypatch):
    # Given the live record exists (the station was connected before)
    assert connections.connected(identity.StationIdentity("ACME", "CP1"), "c1", NOW)
    connections.disconnected("c1", NOW)
    reads = []
    monkeypatch.setattr(type(memory.aggregates), "live", lambda self, *key: reads.append(key))

    # When a charger connects through arrival (as the $connect route does)
    who, _, live = identity.arrival("CP1", "ACME", NOW + timedelta(minutes=1))
    assert connections.connected(who, "c2", NOW + timedelta(minutes=1), live)

    # Then no separate read of the live record was made, and the points are online
    assert reads == []
    assert counters(memory) == {"g1": {"stations": 1, "points": 2, "unknown": 2}}
