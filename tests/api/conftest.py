"""The API tier: the demo organization, a second organization, and operators of every kind."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.api.client import ApiClient

PASSWORD = "Correct-Horse-42"


@dataclass
class World:
    """Operators of every kind the authorization matrix needs, all logged in."""

    anonymous: ApiClient
    admin: ApiClient  # ACME admin, base group = ACME Shopping Malls (the whole organization)
    basic: ApiClient  # ACME basic, same base group
    sibling: ApiClient  # ACME admin whose base group is ACME Birch Mall (a sibling subtree)
    other_org: ApiClient  # admin of another organization
    groups: dict  # name -> ChargingGroupItem of ACME
    other_groups: dict


@pytest.fixture
def client(aws):
    import app

    return ApiClient(app.app)


@pytest.fixture
def world(demo, client) -> World:
    from tests.support import replayed

    tokens = replayed("api-world", lambda: _operators_of_every_kind(client))
    return World(
        anonymous=client,
        admin=client.as_token(tokens["t-admin"]),
        basic=client.as_token(tokens["t-basic"]),
        sibling=client.as_token(tokens["t-birch"]),
        other_org=client.as_token(tokens["g-admin"]),
        groups={g.name: g for g in _groups("ACME")},
        other_groups={g.name: g for g in _groups("GLOBEX")},
    )


def _operators_of_every_kind(client: ApiClient) -> dict[str, str]:
    """The operators and the second organization, each operator logged in: username -> bearer token."""
    from chalicelib.domain import provisioning as p

    groups = {g.name: g for g in _groups("ACME")}
    root = groups["ACME Shopping Malls"]
    p.create_operator("ACME", "t-admin", PASSWORD, "t-admin@acme.test", "Ada", "Admin", "admin", root.group_id)
    p.create_operator("ACME", "t-basic", PASSWORD, "t-basic@acme.test", "Basil", "Basic", "basic", root.group_id)
    birch = groups["ACME Birch Mall"]
    p.create_operator("ACME", "t-birch", PASSWORD, "t-birch@acme.test", "Bea", "Birch", "admin", birch.group_id)
    p.ensure_organization("GLOBEX", "Globex", timezone="America/New_York")
    globex = p.ensure_group_path("GLOBEX", ["Globex Garages", "Globex Garage 1"])
    p.create_station("GLOBEX", "GLX-1", name="Globex 1", group=globex)
    garages = {g.name: g for g in _groups("GLOBEX")}["Globex Garages"]
    p.create_operator("GLOBEX", "g-admin", PASSWORD, "g-admin@globex.test", "Gus", "Globex", "admin", garages.group_id)
    return {name: client.login(name, PASSWORD).token for name in ("t-admin", "t-basic", "t-birch", "g-admin")}


def _groups(org_id: str):
    from chalicelib.storage.models import ChargingGroupItem

    return list(ChargingGroupItem.query(org_id))
