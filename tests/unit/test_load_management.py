"""Load management on the in-memory store: which sessions share which limit, and what each one gets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import load
from chalicelib.memstore import memory_store
from chalicelib.ports.estate import NewStation
from chalicelib.ports.load import GroupLimit
from chalicelib.ports.records import NewSession, SessionClosed
from chalicelib.ports.registry import using

ORG = "ACME"
T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        estate = store.estate
        site = estate.provision_group(ORG, "site", "Site", None)
        mall = estate.provision_group(ORG, "mall", "Mall", site)
        other = estate.provision_group(ORG, "other", "Other", None)
        for station_id, group in (("S1", mall), ("S2", mall), ("S3", site), ("X1", other)):
            estate.create_station(NewStation(ORG, station_id, station_id, group), guarded=False)
        yield store


def charge(store, transaction_id: int, station_id: str, connector_id: int = 1, minutes: int = 0) -> None:
    at = T0 + timedelta(minutes=minutes)
    store.records.create_session(
        NewSession(transaction_id, ORG, station_id, connector_id, "TAG", None, "Accepted", at, 0.0, 22_000.0, 0.0), at
    )


def limits(assignments) -> dict:
    return {(a.station_id, a.connector_id): (a.transaction_id, a.limit_a, a.phases) for a in assignments}


def test_no_limit_no_profiles(memory):
    charge(memory, 1, "S1")
    assert load.allocation(ORG, "S1") == []


def test_two_sessions_share_a_limit_and_a_third_start_reshares(memory):
    memory.load.set_limit(ORG, GroupLimit("mall", 32.0, 3))
    charge(memory, 1, "S1")
    charge(memory, 2, "S2", minutes=1)
    assert limits(load.allocation(ORG, "S2")) == {("S1", 1): (1, 16.0, 3), ("S2", 1): (2, 16.0, 3)}
    charge(memory, 3, "S2", connector_id=2, minutes=2)
    assert set(limits(load.allocation(ORG, "S2")).values()) == {(1, 10.6, 3), (2, 10.6, 3), (3, 10.6, 3)}
    memory.records.close(ORG, "S1", SessionClosed(1, T0 + timedelta(hours=1), 0.0, 0.0))
    assert limits(load.allocation(ORG, "S1")) == {("S2", 1): (2, 16.0, 3), ("S2", 2): (3, 16.0, 3)}


def test_the_subtree_shares_and_a_nested_limit_caps_its_own(memory):
    memory.load.set_limit(ORG, GroupLimit("site", 60.0, 3))
    memory.load.set_limit(ORG, GroupLimit("mall", 16.0, 3))
    charge(memory, 1, "S1")
    charge(memory, 2, "S3")  # in the site, not in the mall
    charge(memory, 3, "X1")  # another group: never touched
    assert limits(load.allocation(ORG, "S3")) == {("S1", 1): (1, 16.0, 3), ("S3", 1): (2, 30.0, 3)}
    assert load.allocation(ORG, "X1") == []


def test_an_excluded_station_gets_no_profile_and_takes_no_share(memory):
    memory.load.set_limit(ORG, GroupLimit("mall", 32.0, 1))
    memory.load.set_excluded(ORG, "S2", True)
    charge(memory, 1, "S1")
    charge(memory, 2, "S2")
    assert limits(load.allocation(ORG, "S1")) == {("S1", 1): (1, 32.0, 1)}
    assert load.allocation(ORG, "S2") == [] or limits(load.allocation(ORG, "S2")) == {("S1", 1): (1, 32.0, 1)}


def test_a_configured_socket_takes_no_more_than_it_can(memory):
    memory.load.set_limit(ORG, GroupLimit("mall", 48.0, 3))
    memory.estate.stations[(ORG, "S1")]["points"] = [{"point": 1, "sockets": [{"max_kw": 7.36}]}]  # 10.6 A on 3 phases
    charge(memory, 1, "S1")
    charge(memory, 2, "S2")
    assert limits(load.allocation(ORG, "S2")) == {("S1", 1): (1, 10.6, 3), ("S2", 1): (2, 37.4, 3)}


def test_a_failing_store_never_raises_from_rebalance(memory, caplog):
    memory.load.set_limit(ORG, GroupLimit("mall", 32.0, 3))
    memory.estate = object()  # the estate port breaks: no operation works (a built port is a plain attribute)
    with caplog.at_level("ERROR"):
        assert load.rebalance(ORG, "S1", lambda a: {}) == []
    assert [r.getMessage() for r in caplog.records] == ["load management not recomputed"]


def test_each_session_gets_its_tx_profile_over_its_stations_connection(memory):
    import json

    from chalicelib.domain import connections, identity
    from chalicelib.ports.stations import Station
    from chalicelib.protocol.v16.outbound import set_charging_profile

    connections._CACHE.clear()
    for station_id, connection_id in (("S1", "c1"), ("S2", "c2")):
        memory.stations.add(Station(ORG, station_id, group_id="mall", group_path="/site/mall/"))
        assert connections.connected(identity.StationIdentity(ORG, station_id), connection_id, T0)
    memory.load.set_limit(ORG, GroupLimit("mall", 20.0, 1))
    charge(memory, 7, "S1")
    charge(memory, 8, "S2", minutes=1)
    sent = set_charging_profile.share_load(ORG, "S2")
    assert [c.state for c in sent] == ["Pending", "Pending"]
    frames = {connection: json.loads(text) for connection, text in memory.chargers.sent}
    assert frames["c1"][2] == "SetChargingProfile"
    assert frames["c1"][3] == {
        "connectorId": 1,
        "csChargingProfiles": {
            "chargingProfileId": 7, "stackLevel": 1, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative",
            "transactionId": 7,
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10.0, "numberPhases": 1}]},
        },
    }
    assert frames["c2"][3]["csChargingProfiles"]["transactionId"] == 8
    connections._CACHE.clear()
