"""The stations port: the same behaviour on the in-memory and the DynamoDB store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.ports.errors import NotFound
from chalicelib.ports.stations import Organization, Station, Token, TokenHolder
from tests.contract import seeding

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POINTS = [{"point": 1, "sockets": [{"type": "Type2", "max_kw": 22}]}]


def test_a_station_reads_back_as_a_plain_value(store):
    seeding.station(store, Station("ACME", "CP1", group_id="g1", group_path="/g1/", point_count=2, points=POINTS))
    found = store.stations.get("ACME", "CP1")
    assert isinstance(found, Station)
    assert (found.group_id, found.group_path, found.point_count, found.registration) == ("g1", "/g1/", 2, "Accepted")
    assert found.points[0]["sockets"][0]["max_kw"] == 22
    assert store.stations.get("ACME", "NOPE") is None
    assert store.stations.get("OTHER", "CP1") is None


def test_organizations(store):
    seeding.organization(store, Organization("ACME", auto_register=True, timezone="Europe/Berlin"))
    assert store.stations.organization("ACME") == Organization("ACME", auto_register=True, timezone="Europe/Berlin")
    assert store.stations.organization("NOPE") is None


def test_every_organization_is_in_exactly_one_slice(store):
    names = [f"ORG{i}" for i in range(12)]
    for name in names:
        seeding.organization(store, Organization(name))
    slices = [store.stations.organization_slice(part, 4) for part in range(4)]
    assert sorted(org for part in slices for org in part) == sorted(names)
    assert slices == [store.stations.organization_slice(part, 4) for part in range(4)]  # always the same ones
    assert store.stations.organization_slice(0, 1) == sorted(names)


def test_a_pending_station_is_created_once_and_claims_its_identifier(store):
    created = store.stations.create_pending("ACME", "CP9", NOW)
    assert (created.registration, created.group_id) == ("Pending", None)
    assert store.stations.claimed_by("CP9") == "ACME"
    again = store.stations.create_pending("ACME", "CP9", NOW)
    assert again.station_id == "CP9" and again.registration == "Pending"
    assert store.stations.station_ids("ACME") == ["CP9"]


def test_an_identifier_claim_is_held_by_the_first_organization(store):
    assert store.stations.claimed_by("CP1") is None
    assert store.stations.claim("ACME", "CP1") is True
    assert store.stations.claim("ACME", "CP1") is True
    assert store.stations.claim("OTHER", "CP1") is False
    assert store.stations.claimed_by("CP1") == "ACME"


def test_organizations_with_a_station_identifier(store):
    for org in ("A", "B", "C"):
        seeding.station(store, Station(org, "CP1"))
    assert len(store.stations.orgs_with_station_id("CP1")) == 2
    assert sorted(store.stations.orgs_with_station_id("CP1", limit=5)) == ["A", "B", "C"]
    assert store.stations.orgs_with_station_id("CP2") == []


def test_boot_data_is_kept_and_a_purged_station_is_not_recreated(store):
    seeding.station(store, Station("ACME", "CP1", registration="Rejected"))
    station = store.stations.record_boot("ACME", "CP1", {"vendor": "V", "model": "M"}, NOW)
    assert station.registration == "Rejected"
    store.stations.record_progress("ACME", "CP1", "FirmwareStatusNotification", "Installed")
    with pytest.raises(NotFound):
        store.stations.record_boot("ACME", "GONE", {"vendor": "V"}, NOW)
    with pytest.raises(NotFound):
        store.stations.record_progress("ACME", "GONE", "DiagnosticsStatusNotification", "Uploaded")
    assert store.stations.get("ACME", "GONE") is None


def test_the_authorize_lookup(store):
    token = Token("TAG1", "u1", "Active", None, datetime(2027, 1, 1, tzinfo=UTC))
    holder = TokenHolder("u1", True, "ug1", ("CP1",), ("g1",))
    seeding.token(store, "ACME", token, holder, user_group_active=False)
    assert store.stations.token("ACME", "TAG1") == token
    assert store.stations.token("ACME", "TAG2") is None
    assert store.stations.token("OTHER", "TAG1") is None
    assert store.stations.token_holder("ACME", "u1") == holder
    assert store.stations.token_holder("ACME", "u2") is None
    assert store.stations.user_group_active("ACME", "ug1") is False
    assert store.stations.user_group_active("ACME", "ug2") is None
