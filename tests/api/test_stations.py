"""Charging stations: domain isolation, list and search, create with identifier rules, edit, orphan, purge."""

from __future__ import annotations

import pytest

STATIONS = "/api/v1/stations"
MISSING = "Charging station does not exist."
DEMO = {f"EVI000000{n}" for n in range(13, 19)}


def gid(world, name: str) -> str:
    return world.groups[name].group_id


def ids(reply) -> set[str]:
    assert reply.status == 200, reply
    return {s["station_id"] for s in reply.body["items"]}


# --- reading ---------------------------------------------------------------------------------------
def test_list_shows_the_stations_of_the_domain_with_their_group(world):
    reply = world.admin.get(STATIONS + "?limit=100")
    assert ids(reply) == DEMO
    row = next(s for s in reply.body["items"] if s["station_id"] == "EVI00000013")
    assert row == {"station_id": "EVI00000013", "name": "EVI00000013", "group_id": gid(world, "ACME Pine Mall"),
                   "group_name": "ACME Pine Mall", "point_count": 1, "firmware_version": None}
    assert ids(world.basic.get(STATIONS + "?limit=100")) == DEMO
    assert ids(world.sibling.get(STATIONS + "?limit=100")) == {"EVI00000015", "EVI00000016"}
    assert ids(world.other_org.get(STATIONS + "?limit=100")) == {"GLX-1"}


def test_list_pages_searches_and_narrows_to_a_group(world):
    first = world.admin.get(STATIONS + "?limit=4")
    second = world.admin.get(STATIONS + f"?limit=4&cursor={first.body['cursor']}")
    assert len(ids(first)) == 4 and ids(first) | ids(second) == DEMO and second.body["cursor"] is None
    assert ids(world.admin.get(STATIONS + "?q=0017")) == {"EVI00000017"}
    assert ids(world.admin.get(STATIONS + f"?group_id={gid(world, 'ACME Maple Mall')}")) == {"EVI00000017", "EVI00000018"}
    outside = world.sibling.get(STATIONS + f"?group_id={gid(world, 'ACME Maple Mall')}")
    assert (outside.status, outside.message) == (404, "Charging group does not exist.")


def test_only_admins_of_the_whole_organization_list_orphans(world):
    world.admin.delete(f"{STATIONS}/EVI00000015")
    assert ids(world.admin.get(STATIONS + "?orphans=true")) == {"EVI00000015"}
    for client in (world.basic, world.sibling):
        reply = client.get(STATIONS + "?orphans=true")
        assert (reply.status, reply.message) == (403, "Access denied.")
    assert ids(world.other_org.get(STATIONS + "?orphans=true")) == set()


def test_details_of_a_station(world):
    reply = world.admin.get(f"{STATIONS}/EVI00000013")
    assert reply.status == 200
    body = reply.body
    assert (body["station_id"], body["name"], body["group_name"], body["orphan"]) == ("EVI00000013", "EVI00000013", "ACME Pine Mall", False)
    assert (body["registration"], body["connected"], body["point_count"], body["version"]) == ("Accepted", False, 1, 0)
    assert [(p["point"], p["status"]) for p in body["points"]] == [(1, "Offline")]
    assert body["created_at"].endswith("Z")


@pytest.mark.parametrize("who", ["sibling", "other_org"])
def test_stations_outside_the_domain_answer_like_missing_ones(world, who):
    client = getattr(world, who)
    for path in (f"{STATIONS}/EVI00000013", f"{STATIONS}/EVI00000013/status", f"{STATIONS}/NOPE", f"{STATIONS}/bad%2Fid"):
        reply = client.get(path)
        assert (reply.status, reply.message) == (404, MISSING), path
    for reply in (
        client.put(f"{STATIONS}/EVI00000013", {"name": "Mine", "version": 0}),
        client.delete(f"{STATIONS}/EVI00000013"),
        client.post(f"{STATIONS}/EVI00000013/purge"),
        client.put(f"{STATIONS}/EVI00000013/points", {"points": [{"sockets": [{"type": "CCS", "max_kw": 50}]}], "version": 0}),
    ):
        assert (reply.status, reply.message) == (404, MISSING)


def test_anonymous_is_refused(world):
    assert world.anonymous.get(STATIONS).status == 401
    assert world.anonymous.get(f"{STATIONS}/EVI00000013").status == 401


# --- creating ----------------------------------------------------------------------------------------
def test_admin_adds_a_station(world):
    reply = world.admin.post(STATIONS, {"station_id": "acme-043211", "name": "Pine Mall entry", "group_id": gid(world, "ACME Pine Mall")})
    assert reply.status == 201, reply
    assert (reply.body["station_id"], reply.body["name"], reply.body["group_name"]) == ("acme-043211", "Pine Mall entry", "ACME Pine Mall")
    assert "acme-043211" in ids(world.admin.get(STATIONS + "?q=entry"))
    default = world.admin.post(STATIONS, {"station_id": "Plain_1"})
    assert (default.body["name"], default.body["group_id"]) == ("Plain_1", gid(world, "ACME Shopping Malls"))


def test_basic_operator_cannot_add_or_remove_stations(world):
    for reply in (
        world.basic.post(STATIONS, {"station_id": "X1"}),
        world.basic.delete(f"{STATIONS}/EVI00000013"),
        world.basic.put(f"{STATIONS}/EVI00000013", {"name": "x", "version": 0}),
        world.basic.post(f"{STATIONS}/EVI00000013/purge"),
    ):
        assert (reply.status, reply.message) == (403, "Access denied.")


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("acme/043211", "Identifier contains forbidden characters."),
        ("acme 1", "Identifier contains forbidden characters."),
        ("äiti", "Identifier contains forbidden characters."),
        ("a:b", "Identifier contains forbidden characters."),
        ("", "Invalid charging station identifier."),
        ("A" * 49, "Invalid charging station identifier."),
    ],
)
def test_identifier_rules(world, identifier, message):
    reply = world.admin.post(STATIONS, {"station_id": identifier})
    assert (reply.status, reply.message) == (400, message)


def test_identifier_is_unique_in_the_organization_only(world):
    duplicate = world.admin.post(STATIONS, {"station_id": "EVI00000013"})
    assert (duplicate.status, duplicate.message) == (409, "Charging station already exists for that identifier.")
    # Even an orphan keeps its identifier
    world.admin.delete(f"{STATIONS}/EVI00000014")
    assert world.admin.post(STATIONS, {"station_id": "EVI00000014"}).status == 409
    # Another organization may use the same identifier
    assert world.other_org.post(STATIONS, {"station_id": "EVI00000013"}).status == 201


def test_sibling_adds_stations_only_inside_their_subtree(world):
    outside = world.sibling.post(STATIONS, {"station_id": "B-1", "group_id": gid(world, "ACME Pine Mall")})
    assert (outside.status, outside.message) == (404, "Charging group does not exist.")
    inside = world.sibling.post(STATIONS, {"station_id": "B-1"})
    assert inside.status == 201 and inside.body["group_id"] == gid(world, "ACME Birch Mall")


# --- editing -----------------------------------------------------------------------------------------
def test_edit_name_and_group_with_the_version_seen(world):
    seen = world.admin.get(f"{STATIONS}/EVI00000013").body
    maple = gid(world, "ACME Maple Mall")
    edited = world.admin.put(f"{STATIONS}/EVI00000013", {"name": "Pine entry", "group_id": maple, "version": seen["version"]})
    assert edited.status == 200, edited
    assert (edited.body["name"], edited.body["group_id"], edited.body["version"]) == ("Pine entry", maple, seen["version"] + 1)
    assert "EVI00000013" in ids(world.admin.get(f"{STATIONS}?group_id={maple}"))
    stale = world.admin.put(f"{STATIONS}/EVI00000013", {"name": "Again", "version": seen["version"]})
    assert (stale.status, stale.message) == (409, MISSING)


def test_identifier_cannot_be_changed(world):
    reply = world.admin.put(f"{STATIONS}/EVI00000013", {"name": "x", "station_id": "NEW", "version": 0})
    assert reply.status == 400


def test_charger_messages_do_not_make_an_open_edit_stale(world):
    from tests.support import LambdaCharger

    # Given an admin who opened the station's edit view
    seen = world.admin.get(f"{STATIONS}/EVI00000013").body
    # When the charger connects and boots meanwhile
    charger = LambdaCharger("EVI00000013")
    charger.connect()
    charger.frame("boot_notification")
    # Then their save still goes through
    reply = world.admin.put(f"{STATIONS}/EVI00000013", {"name": "Entry", "version": seen["version"]})
    assert reply.status == 200 and reply.body["firmware_version"] == "A999"


def test_moving_into_a_group_outside_the_domain_is_refused(world):
    seen = world.sibling.get(f"{STATIONS}/EVI00000015").body
    reply = world.sibling.put(f"{STATIONS}/EVI00000015", {"name": "x", "group_id": gid(world, "ACME Pine Mall"), "version": seen["version"]})
    assert (reply.status, reply.message) == (404, "Charging group does not exist.")


# --- deleting (orphans) and purging ---------------------------------------------------------------------
def test_delete_makes_an_orphan_that_organization_admins_still_see(world):
    assert world.admin.delete(f"{STATIONS}/EVI00000015").status == 204
    orphan = world.admin.get(f"{STATIONS}/EVI00000015")
    assert orphan.status == 200 and orphan.body["orphan"] is True and orphan.body["group_id"] is None
    assert "EVI00000015" not in ids(world.admin.get(STATIONS + "?limit=100"))
    assert world.sibling.get(f"{STATIONS}/EVI00000015").status == 404
    assert world.basic.get(f"{STATIONS}/EVI00000015").status == 404
    # Deleting it again changes nothing
    assert world.admin.delete(f"{STATIONS}/EVI00000015").status == 204


def test_purge_removes_only_an_orphan(world):
    not_orphan = world.admin.post(f"{STATIONS}/EVI00000016/purge")
    assert not_orphan.status == 409 and "orphan" in not_orphan.message
    world.admin.delete(f"{STATIONS}/EVI00000016")
    assert world.admin.post(f"{STATIONS}/EVI00000016/purge").status == 204
    assert world.admin.get(f"{STATIONS}/EVI00000016").status == 404
    assert world.admin.post(f"{STATIONS}/EVI00000016/purge").status == 404


def test_sibling_admin_can_delete_in_their_subtree_but_not_purge(world):
    assert world.sibling.delete(f"{STATIONS}/EVI00000015").status == 204
    # The orphan left their domain: for them it is missing
    reply = world.sibling.post(f"{STATIONS}/EVI00000015/purge")
    assert (reply.status, reply.message) == (404, MISSING)
