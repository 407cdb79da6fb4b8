"""The station settings port behaves the same on both stores: EVSE code claims, registration,
maintenance, passwords and the last-heard time, seen through the estate and stations ports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.errors import ConditionFailed, NotFound
from chalicelib.ports.estate import NewStation
from chalicelib.ports.station_settings import NO_PASSWORD, CodeTaken, Metadata
from chalicelib.ports.stations import Station
from tests.contract import seeding

ORG = "ACME"
NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


@pytest.fixture
def settings(store):
    for station_id in ("S1", "S2"):
        store.estate.create_station(NewStation(ORG, station_id, station_id, None), guarded=False)
    return store.station_settings


def test_metadata_is_kept_and_bumps_the_revision(store, settings):
    # Given / When
    settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-1", "Entry left", "FI*ENS*E1234", True))
    # Then
    record = store.estate.get_station(ORG, "S1", consistent=True)
    assert (record.evse_code, record.evse_name, record.emi3_id, record.roaming) == ("EVSE-1", "Entry left", "FI*ENS*E1234", True)
    assert record.revision == 1
    assert settings.evse_code_holder(ORG, "evse-1") == "S1"


def test_an_evse_code_is_unique_in_the_organization_without_case(store, settings):
    settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-1"))
    with pytest.raises(CodeTaken):
        settings.set_metadata(ORG, "S2", 0, None, Metadata("evse-1", "Other"))
    # Nothing of the refused write is kept.
    assert store.estate.get_station(ORG, "S2", consistent=True).evse_name is None
    assert store.estate.get_station(ORG, "S2", consistent=True).revision == 0


def test_changing_the_code_releases_the_old_one(store, settings):
    settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-1"))
    settings.set_metadata(ORG, "S1", 1, "EVSE-1", Metadata("EVSE-9"))
    assert settings.evse_code_holder(ORG, "EVSE-1") is None
    settings.set_metadata(ORG, "S2", 0, None, Metadata("EVSE-1"))
    assert settings.evse_code_holder(ORG, "EVSE-1") == "S2"
    assert settings.evse_code_holder(ORG, "EVSE-9") == "S1"


def test_a_stale_revision_changes_nothing(store, settings):
    settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-1"))
    with pytest.raises(ConditionFailed) as refused:
        settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-2"))
    assert not isinstance(refused.value, CodeTaken)
    assert settings.evse_code_holder(ORG, "EVSE-2") is None


def test_release_only_by_the_holder(settings):
    settings.set_metadata(ORG, "S1", 0, None, Metadata("EVSE-1"))
    settings.release_evse_code(ORG, "S2", "EVSE-1")
    assert settings.evse_code_holder(ORG, "EVSE-1") == "S1"
    settings.release_evse_code(ORG, "S1", "evse-1")
    assert settings.evse_code_holder(ORG, "EVSE-1") is None


def test_registration_and_maintenance(store, settings):
    settings.set_registration(ORG, "S1", "Rejected")
    settings.set_maintenance(ORG, "S1", True)
    record = store.estate.get_station(ORG, "S1", consistent=True)
    assert (record.registration, record.maintenance) == ("Rejected", True)
    with pytest.raises(NotFound):
        settings.set_registration(ORG, "GONE", "Accepted")
    with pytest.raises(NotFound):
        settings.set_maintenance(ORG, "GONE", True)


def test_a_new_password_keeps_the_previous_until_adopted(store):
    seeding.station(store, Station(ORG, "P1", password_hash="old"))
    settings = store.station_settings
    settings.set_password(ORG, "P1", "new", "old")
    station = store.stations.get(ORG, "P1")
    assert (station.password_hash, station.previous_password_hash) == ("new", "old")
    settings.password_adopted(ORG, "P1", "other")  # not the current one: nothing forgotten
    assert store.stations.get(ORG, "P1").previous_password_hash == "old"
    settings.password_adopted(ORG, "P1", "new")
    assert store.stations.get(ORG, "P1").previous_password_hash is None


def test_no_password_before_is_kept_as_such(store):
    seeding.station(store, Station(ORG, "P2"))
    store.station_settings.set_password(ORG, "P2", "new", NO_PASSWORD)
    assert store.stations.get(ORG, "P2").previous_password_hash == NO_PASSWORD


def test_latest_sessions_newest_first_with_their_power(store):
    from dataclasses import replace

    from tests.contract.test_records import T0, advance, new_session

    store.records.create_session(new_session(7), T0)
    store.records.create_session(replace(new_session(8), connector_id=2, started_at=T0 + timedelta(minutes=5)), T0)
    store.records.create_session(new_session(9, station_id="OTHER"), T0)
    store.records.advance("ACME", "CP1", advance(7, 1, 1100.0))
    found = store.station_settings.latest_sessions(ORG, "CP1", 10)
    assert [(s.connector_id, s.state, s.power_w) for s in found] == [(2, "Active", None), (1, "Active", 7000.0)]
    assert len(store.station_settings.latest_sessions(ORG, "CP1", 1)) == 1


def test_a_deferred_limit_is_taken_once_and_the_latest_wins(settings):
    # Given: two limits remembered while the station was offline
    assert settings.take_max_current(ORG, "S1") is None
    assert settings.defer_max_current(ORG, "S1", 6, NOW, "task-6a") is None
    replaced = settings.defer_max_current(ORG, "S1", 16.5, NOW + timedelta(hours=5), "task-16a")
    assert (replaced.amperes, replaced.since, replaced.task_id) == (6, NOW, "task-6a")  # the one it replaced
    # When: its boot takes it (twice, as two racing boots would)
    first = settings.take_max_current(ORG, "S1")
    second = settings.take_max_current(ORG, "S1")
    # Then: only the latest, only once; other stations keep theirs
    assert (first.amperes, first.since, first.task_id) == (16.5, NOW + timedelta(hours=5), "task-16a")
    assert second is None
    settings.defer_max_current(ORG, "S2", 10, NOW)
    assert (settings.take_max_current(ORG, "S2").amperes, settings.take_max_current(ORG, "S2")) == (10, None)
    # A limit without a task (none waits for it) after one with a task: the task is not carried over
    settings.defer_max_current(ORG, "S3", 8, NOW, "task-8a")
    assert settings.defer_max_current(ORG, "S3", 9, NOW).task_id == "task-8a"
    assert settings.take_max_current(ORG, "S3").task_id is None
    # Taken (the item stays, empty): the next limit replaces nothing
    assert settings.defer_max_current(ORG, "S3", 7, NOW) is None
