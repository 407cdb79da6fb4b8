"""Station state rules on the in-memory store: eMI3 ids, current power, deleting a connected station,
a failed deletion, remote starts while disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import emi3, station_power, station_settings, stations
from chalicelib.domain.access import Principal
from chalicelib.domain.tokens import StorageBusy
from chalicelib.memstore import memory_store
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.estate import NewStation
from chalicelib.ports.records import Advance, NewSession
from chalicelib.ports.registry import store, using
from chalicelib.ports.stations import Station

ORG = "ACME"
NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
ADMIN = Principal("ada", ORG, "admin", "root", "/root/", role_at_login="admin")


@pytest.fixture
def world():
    with using(memory_store()):
        estate = store().estate
        root = estate.provision_group(ORG, "root", "Malls", None)
        estate.create_station(NewStation(ORG, "S1", "S1", root), guarded=False)
        store().stations.add(Station(ORG, "S1", group_id="root", group_path="/root/"))
        yield store()


@pytest.mark.parametrize("value", ["FI*ENS*E12345*1", "fiense1", "DE*CHC*E12345*123", "SE1A2E" + "X" * 30])
def test_emi3_ids_of_the_standard_form_pass(value):
    assert emi3.problem(value) is None


@pytest.mark.parametrize("value", ["", "F*ENS*E1", "FI*ENS*E", "FI*EN*E1", "FI*ENS*A1", "ZZ*ENS*E1", "FI*ENSE1", "FIENS*E1", "FI*ENS*E" + "1" * 31, "FI*ENS*E*1"])
def test_emi3_ids_off_the_form_are_refused(value):
    assert emi3.problem(value) is not None


def _session(world, transaction_id: int, connector: int, minutes: int, power_w: float | None) -> None:
    started = NOW + timedelta(minutes=minutes)
    world.records.create_session(NewSession(transaction_id, ORG, "S1", connector, "TAG", None, "Accepted", started, 0.0, 22_000.0, -1e12), started)
    if power_w is not None:
        world.records.advance(ORG, "S1", Advance(transaction_id, started + timedelta(minutes=1), 10.0, power_w, None, 22_000.0, -1e13))


def test_current_power_sums_the_newest_session_of_each_charging_connector(world):
    # Given an old session on connector 1 superseded by a newer one, and connector 2 charging too
    _session(world, 1, 1, 0, 5_000.0)
    _session(world, 2, 1, 10, 7_400.0)
    _session(world, 3, 2, 11, 11_000.0)
    # When / Then: only charging connectors count
    assert station_power.current_power_kw(ORG, "S1", {1: "Charging", 2: "Charging"}, 2) == 18.4
    assert station_power.current_power_kw(ORG, "S1", {1: "Charging", 2: "SuspendedEV"}, 2) == 7.4
    assert station_power.current_power_kw(ORG, "S1", {1: "Available"}, 2) == 0.0


def test_current_power_is_unknown_when_a_charging_connector_reported_none(world):
    _session(world, 1, 1, 0, None)
    assert station_power.current_power_kw(ORG, "S1", {1: "Charging"}, 1) is None


def test_purging_a_connected_station_closes_its_socket(world):
    world.connections.take_over(ORG, "S1", "conn-1", NOW)
    stations.orphan(ADMIN, "S1", NOW)
    assert world.chargers.closed == ["conn-1"]
    assert world.estate.get_station(ORG, "S1").registration == "Pending"
    world.connections.take_over(ORG, "S1", "conn-2", NOW)  # it reconnected, Pending
    stations.purge(ADMIN, "S1", NOW)
    assert world.chargers.closed == ["conn-1", "conn-2"]
    assert world.estate.get_station(ORG, "S1") is None


def test_a_deletion_the_store_cannot_make_answers_the_manuals_text(world, monkeypatch):
    def unavailable(*args, **kwargs):
        raise StorageUnavailable("throttled after retries")

    monkeypatch.setattr(type(world.estate), "edit_station", unavailable)
    with pytest.raises(StorageBusy, match="Charging station deletion failed."):
        stations.orphan(ADMIN, "S1", NOW)
    monkeypatch.undo()
    stations.orphan(ADMIN, "S1", NOW)
    monkeypatch.setattr(type(world.estate), "purge_station", unavailable)
    with pytest.raises(StorageBusy, match="Charging station deletion failed."):
        stations.purge(ADMIN, "S1", NOW)


def test_remote_starts_need_an_accepted_station_not_disabled(world):
    assert station_settings.accepts_remote_start(ORG, "S1")
    world.station_settings.set_maintenance(ORG, "S1", True)
    assert not station_settings.accepts_remote_start(ORG, "S1")
    world.station_settings.set_maintenance(ORG, "S1", False)
    world.station_settings.set_registration(ORG, "S1", "Pending")
    assert not station_settings.accepts_remote_start(ORG, "S1")
    assert not station_settings.accepts_remote_start(ORG, "NOPE")


def _frames(world) -> list[list]:
    import json

    return [json.loads(text) for _, text in world.chargers.sent]


def test_disabling_a_connected_station_sends_all_connectors_inoperative(world):
    world.connections.take_over(ORG, "S1", "conn-1", NOW)
    station, command = station_settings.set_maintenance(ADMIN, "S1", True)
    assert station.maintenance and [p.status for p in station.points] == ["Disabled"]
    assert command.state == "Pending"
    assert _frames(world) == [[2, command.command_id, "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}]]
    assert not station_settings.accepts_remote_start(ORG, "S1")


def test_disabling_an_offline_station_queues_the_change(world):
    _, command = station_settings.set_maintenance(ADMIN, "S1", True)
    assert command.state == "Queued" and world.chargers.sent == []


def test_accepting_a_connected_station_asks_it_to_boot_and_holding_it_disconnects(world):
    world.connections.take_over(ORG, "S1", "conn-1", NOW)
    station_settings.set_registration(ADMIN, "S1", "Pending")
    assert world.chargers.closed == ["conn-1"]
    world.connections.take_over(ORG, "S1", "conn-2", NOW)
    station_settings.set_registration(ADMIN, "S1", "Accepted")
    assert [f[2:] for f in _frames(world)] == [["TriggerMessage", {"requestedMessage": "BootNotification"}]]
    assert world.chargers.closed == ["conn-1"]
    station_settings.set_registration(ADMIN, "S1", "Accepted")  # unchanged: nothing sent again
    assert len(world.chargers.sent) == 1


def test_a_new_password_is_pushed_to_a_connected_station(world):
    from chalicelib.domain import station_credentials

    world.connections.take_over(ORG, "S1", "conn-1", NOW)
    new = station_credentials.rotate(ADMIN, "S1")
    assert new.push.state == "Pending"
    assert _frames(world)[0][2:] == ["ChangeConfiguration", {"key": "AuthorizationKey", "value": new.authorization_key}]
