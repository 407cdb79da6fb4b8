"""A station's new password at $connect: its hex form works too, the old one until the new is used,
a station that had none keeps connecting without one until configured."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from chalicelib.domain import station_credentials, station_passwords
from chalicelib.domain.access import Principal
from chalicelib.domain.identity import ConnectRefused, authenticate
from chalicelib.domain.passwords import hash_password
from chalicelib.memstore import memory_store
from chalicelib.ports.estate import NewStation
from chalicelib.ports.registry import store, using
from chalicelib.ports.stations import Station

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
ADMIN = Principal("ada", "ACME", "admin", "root", "/root/", role_at_login="admin")


@pytest.fixture
def world():
    with using(memory_store()):
        root = store().estate.provision_group("ACME", "root", "Malls", None)
        store().estate.create_station(NewStation("ACME", "CP1", "CP1", root), guarded=False)
        yield store()


def basic(password: str, user: str = "CP1") -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def connect(headers: dict[str, str]) -> None:
    authenticate(store().stations.get("ACME", "CP1"), headers, "192.0.2.1", NOW)


def test_the_password_or_its_authorization_key_form_logs_in():
    stored = hash_password("Abc123def456ghi789jk")
    assert station_passwords.matches(stored, "Abc123def456ghi789jk")
    assert station_passwords.matches(stored, station_passwords.authorization_key("Abc123def456ghi789jk"))
    assert not station_passwords.matches(stored, "abc123def456ghi789jk")
    assert not station_passwords.matches(stored, "ff" * 20)  # hex of bytes that are not the password


def test_the_old_password_works_until_the_new_one_is_used(world):
    # Given a station with a password, and a new one generated for it
    world.stations.add(Station("ACME", "CP1", password_hash=hash_password("old-password-1")))
    new = station_credentials.rotate(ADMIN, "CP1")
    assert new.push is None  # not connected: the manual steps are the way
    # When it still logs in with the old one, Then it gets in
    connect(basic("old-password-1"))
    # When it logs in with the new one, Then the old one is retired
    connect(basic(new.password))
    with pytest.raises(ConnectRefused) as refused:
        connect(basic("old-password-1"))
    assert refused.value.status == 401


def test_rotating_twice_before_adoption_keeps_the_password_the_station_uses(world):
    world.stations.add(Station("ACME", "CP1", password_hash=hash_password("old-password-1")))
    first = station_credentials.rotate(ADMIN, "CP1")
    second = station_credentials.rotate(ADMIN, "CP1")
    connect(basic("old-password-1"))  # the one it really has
    with pytest.raises(ConnectRefused):
        connect(basic(first.password))  # never adopted, replaced
    connect(basic(second.password))


def test_a_station_without_a_password_connects_without_one_until_it_uses_the_new(world):
    world.stations.add(Station("ACME", "CP1"))
    new = station_credentials.rotate(ADMIN, "CP1")
    connect({})
    connect(basic(new.authorization_key))  # a charger that sends AuthorizationKey verbatim
    with pytest.raises(ConnectRefused):
        connect({})


def test_identity_reads_the_no_password_marker_the_settings_port_writes():
    """domain.identity keeps its own copy of the marker (its import stays off every cold $default)."""
    from chalicelib.domain import identity
    from chalicelib.ports import station_settings

    assert identity.NO_PASSWORD == station_settings.NO_PASSWORD
