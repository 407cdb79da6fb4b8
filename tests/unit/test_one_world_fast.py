"""One in-memory world across ports: an estate provisioned once is what chargers connect to, Authorize
reads and operators log in to and see (no moto, milliseconds)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from chalicelib.domain import connections, dashboard, identity, provisioning, sessions, station_view
from chalicelib.domain.authorization import authorize
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ORG = "ACME"


@pytest.fixture
def world():
    with using(memory_store()) as store:
        connections._CACHE.clear()
        provisioning.ensure_organization(ORG, "Acme", "Europe/Helsinki")
        pine = provisioning.ensure_group_path(ORG, ["Malls", "Pine"])
        provisioning.create_station(ORG, "CP1", "Pump one", pine, password="charger-secret", now=NOW)
        provisioning.create_operator(ORG, "ada", "Ada-Secret-42", "ada@acme.test", "Ada", "L", "admin", pine.parent_id)
        staff = provisioning.ensure_user_group(ORG, "Staff")
        provisioning.ensure_charging_user(ORG, "Ann", "Duck", "ann@acme.test", staff, [pine], [{"id": "tag1"}])
        yield store, pine
        connections._CACHE.clear()


def _basic(user: str, password: str) -> dict[str, str]:
    return {"authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_a_charger_connects_to_the_provisioned_station_and_its_operator_sees_it_online(world):
    store, pine = world
    who, station, _ = identity.arrival("CP1", None, NOW)  # the short URL: the claim made when it was created
    assert (who.org_id, station.group_path) == (ORG, pine.path)
    identity.authenticate(station, _basic("CP1", "charger-secret"), "10.0.0.1", NOW)
    assert connections.connected(who, "c1", NOW) is True

    principal = sessions.resolve(sessions.login("ada", "Ada-Secret-42", NOW, "10.0.0.2").token, NOW)
    rows, _ = station_view.page(principal, 10, None, None, None, False)
    assert [(row.station_id, row.group_name) for row in rows] == [("CP1", "Pine")]
    assert store.estate.get_station(ORG, "CP1").connected is True
    assert dashboard.dashboard(principal, 7, NOW).domain.stations == 1  # the live counters of the same station


def test_authorize_accepts_the_provisioned_token_at_the_provisioned_station(world):
    decision = authorize(ORG, "CP1", "tag1", NOW)
    assert (decision.status, decision.user_id) == ("Accepted", "ann@acme.test")
    assert authorize(ORG, "CP1", "tag2", NOW).status == "Invalid"
