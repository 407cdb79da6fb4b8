"""Charging groups: domain isolation, create, rename, move with the subtree's paths, delete only when empty."""

from __future__ import annotations

import pytest

GROUPS = "/api/v1/groups"
MISSING = "Charging group does not exist."


def gid(world, name: str) -> str:
    return world.groups[name].group_id


def _group(org: str, group_id: str):
    from chalicelib.storage.models import ChargingGroupItem

    return ChargingGroupItem.get(org, group_id, consistent_read=True)


def _station(station_id: str, org: str = "ACME"):
    from chalicelib.storage.models import StationItem

    return StationItem.get(org, station_id, consistent_read=True)


def _new_group(client, name: str, parent_id: str | None = None, **extra) -> dict:
    body = {"name": name, **extra}
    if parent_id:
        body["parent_id"] = parent_id
    reply = client.post(GROUPS, body)
    assert reply.status == 201, reply
    return reply.body


# --- reading ---------------------------------------------------------------------------------------
def test_list_shows_the_operators_subtree_only(world):
    # Given the demo organization (a root and three malls)
    # When the organization's admin and the Birch Mall admin list the groups
    everything = world.admin.get(GROUPS + "?limit=100")
    birch = world.sibling.get(GROUPS)
    other = world.other_org.get(GROUPS)
    # Then each sees the groups under their base group only
    assert {g["name"] for g in everything.body["items"]} == {"ACME Shopping Malls", "ACME Pine Mall", "ACME Birch Mall", "ACME Maple Mall"}
    assert [g["name"] for g in birch.body["items"]] == ["ACME Birch Mall"]
    assert birch.body["items"][0]["parent_id"] is None and birch.body["items"][0]["depth"] == 0
    assert "ACME" not in {g["name"][:4] for g in other.body["items"]}


def test_list_pages_with_a_cursor_and_searches_by_name(world):
    first = world.admin.get(GROUPS + "?limit=3")
    assert len(first.body["items"]) == 3 and first.body["cursor"]
    rest = world.admin.get(GROUPS + f"?limit=3&cursor={first.body['cursor']}")
    assert len(rest.body["items"]) == 1
    found = world.admin.get(GROUPS + "?q=PINE")
    assert [g["name"] for g in found.body["items"]] == ["ACME Pine Mall"]
    assert world.admin.get(GROUPS + "?cursor=garbage").status == 400


def test_tree_is_depth_first_with_siblings_by_name(world):
    reply = world.admin.get(GROUPS + "/tree")
    assert reply.status == 200
    assert [(g["name"], g["depth"]) for g in reply.body["items"]] == [
        ("ACME Shopping Malls", 0),
        ("ACME Birch Mall", 1),
        ("ACME Maple Mall", 1),
        ("ACME Pine Mall", 1),
    ]
    assert [g["name"] for g in world.sibling.get(GROUPS + "/tree").body["items"]] == ["ACME Birch Mall"]


def test_tree_counts_the_stations_of_each_subtree_on_request(world):
    # Given a new group under Pine Mall holding one of its two stations
    _new_group(world.admin, "Pine Entrance", gid(world, "ACME Pine Mall"), station_ids=["EVI00000013"])
    # When the admin asks for the tree with counts, and without
    counted = world.admin.get(GROUPS + "/tree?counts=true").body["items"]
    plain = world.admin.get(GROUPS + "/tree").body["items"]
    # Then each group counts the stations of its whole subtree, and the plain tree has none
    assert [(g["name"], g["station_count"]) for g in counted] == [
        ("ACME Shopping Malls", 6),
        ("ACME Birch Mall", 2),
        ("ACME Maple Mall", 2),
        ("ACME Pine Mall", 2),
        ("Pine Entrance", 1),
    ]
    assert {g["station_count"] for g in plain} == {None}
    assert [g["station_count"] for g in world.sibling.get(GROUPS + "/tree?counts=1").body["items"]] == [2]


def test_details_list_the_direct_stations_and_subgroups(world):
    reply = world.admin.get(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}")
    assert reply.status == 200
    assert reply.body["parent_name"] == "ACME Shopping Malls"
    assert reply.body["stations"] == [
        {"station_id": "EVI00000013", "name": "EVI00000013", "point_count": 1},
        {"station_id": "EVI00000014", "name": "EVI00000014", "point_count": 1},
    ]
    root = world.admin.get(f"{GROUPS}/{gid(world, 'ACME Shopping Malls')}").body
    assert root["stations"] == [] and [g["name"] for g in root["subgroups"]] == ["ACME Birch Mall", "ACME Maple Mall", "ACME Pine Mall"]
    assert root["parent_id"] is None and root["parent_name"] is None


@pytest.mark.parametrize("who", ["sibling", "other_org"])
def test_groups_outside_the_domain_answer_like_missing_ones(world, who):
    client = getattr(world, who)
    for path in (f"{GROUPS}/{gid(world, 'ACME Pine Mall')}", f"{GROUPS}/nosuchgroup", f"{GROUPS}/..%2Fx"):
        reply = client.get(path)
        assert (reply.status, reply.message) == (404, MISSING), path
    edit = client.put(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}", {"name": "Mine", "version": 1})
    assert (edit.status, edit.message) == (404, MISSING)
    assert client.delete(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}").status == 404


def test_anonymous_is_refused(world):
    assert world.anonymous.get(GROUPS).status == 401
    assert world.anonymous.post(GROUPS, {"name": "x"}).status == 401


# --- creating ----------------------------------------------------------------------------------------
def test_new_group_goes_under_the_base_group_by_default(world):
    # Given an admin operator
    # When they add a group naming only its name
    created = _new_group(world.admin, "ACME Oak Mall")
    # Then it is right under their base group
    assert created["parent_id"] == gid(world, "ACME Shopping Malls") and created["depth"] == 1
    stored = _group("ACME", created["group_id"])
    assert stored.path == f"/{gid(world, 'ACME Shopping Malls')}/{created['group_id']}/"
    assert world.admin.get(f"{GROUPS}/{created['group_id']}").status == 200


def test_basic_operator_must_name_the_parent(world):
    reply = world.basic.post(GROUPS, {"name": "Basement"})
    assert (reply.status, reply.message) == (400, "Adding a new group failed. Parent group is required.")
    created = _new_group(world.basic, "Basement", gid(world, "ACME Pine Mall"))
    assert created["depth"] == 2


def test_parent_outside_the_domain_is_missing(world):
    reply = world.sibling.post(GROUPS, {"name": "Sneaky", "parent_id": gid(world, "ACME Pine Mall")})
    assert (reply.status, reply.message) == (404, MISSING)
    other = world.other_org.post(GROUPS, {"name": "Sneaky", "parent_id": gid(world, "ACME Pine Mall")})
    assert other.status == 404


def test_new_group_with_stations_moves_them_in(world):
    created = _new_group(world.admin, "Pine Entrance", gid(world, "ACME Pine Mall"), station_ids=["EVI00000013"])
    assert [s["station_id"] for s in created["stations"]] == ["EVI00000013"]
    assert _station("EVI00000013").group_path == _group("ACME", created["group_id"]).path


def test_basic_operator_cannot_put_stations_into_groups(world):
    reply = world.basic.post(GROUPS, {"name": "X", "parent_id": gid(world, "ACME Pine Mall"), "station_ids": ["EVI00000013"]})
    assert (reply.status, reply.message) == (403, "Access denied.")
    add = world.basic.post(f"{GROUPS}/{gid(world, 'ACME Maple Mall')}/stations", {"station_id": "EVI00000013"})
    assert (add.status, add.message) == (403, "Access denied.")


def test_new_group_with_a_station_outside_the_domain_is_refused_before_anything_is_written(world):
    reply = world.sibling.post(GROUPS, {"name": "Grab", "station_ids": ["EVI00000013"]})
    assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    assert [g["name"] for g in world.sibling.get(GROUPS).body["items"]] == ["ACME Birch Mall"]


# --- editing and moving --------------------------------------------------------------------------------
def test_rename_needs_the_version_seen(world):
    pine = world.admin.get(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}").body
    renamed = world.admin.put(f"{GROUPS}/{pine['group_id']}", {"name": "Pine Mall", "version": pine["version"]})
    assert renamed.status == 200 and renamed.body["name"] == "Pine Mall"
    assert renamed.body["version"] == pine["version"] + 1
    stale = world.admin.put(f"{GROUPS}/{pine['group_id']}", {"name": "Again", "version": pine["version"]})
    assert stale.status == 409 and "Refresh" in stale.message
    assert world.admin.get(GROUPS + "?q=pine mall").body["items"][0]["name"] == "Pine Mall"


def test_move_rewrites_the_subtree_and_its_stations(world):
    # Given Pine Mall with a subgroup holding a station, and its own station
    pine, birch = gid(world, "ACME Pine Mall"), gid(world, "ACME Birch Mall")
    wing = _new_group(world.admin, "Pine Wing", pine, station_ids=["EVI00000013"])
    version = world.admin.get(f"{GROUPS}/{pine}").body["version"]
    # When the admin moves Pine Mall under Birch Mall
    moved = world.admin.put(f"{GROUPS}/{pine}", {"name": "ACME Pine Mall", "parent_id": birch, "version": version})
    # Then the group, its subgroup and every station under them have the new paths
    assert moved.status == 200, moved
    assert moved.body["parent_id"] == birch and moved.body["depth"] == 2
    root = gid(world, "ACME Shopping Malls")
    assert _group("ACME", pine).path == f"/{root}/{birch}/{pine}/"
    assert _group("ACME", wing["group_id"]).path == f"/{root}/{birch}/{pine}/{wing['group_id']}/"
    assert _station("EVI00000013").group_path == f"/{root}/{birch}/{pine}/{wing['group_id']}/"
    assert _station("EVI00000014").group_path == f"/{root}/{birch}/{pine}/"
    # And the Birch Mall admin now sees them, found by the subtree query
    seen = world.sibling.get("/api/v1/stations?limit=100").body["items"]
    assert {s["station_id"] for s in seen} == {"EVI00000013", "EVI00000014", "EVI00000015", "EVI00000016"}
    in_pine = world.sibling.get(f"/api/v1/stations?group_id={pine}").body["items"]
    assert {s["station_id"] for s in in_pine} == {"EVI00000013", "EVI00000014"}
    # And a charging user's right to the whole Pine Mall still covers the moved stations
    assert f"/{pine}/" in _station("EVI00000013").group_path


def test_a_group_cannot_go_under_itself_or_its_subgroups(world):
    pine = gid(world, "ACME Pine Mall")
    wing = _new_group(world.admin, "Pine Wing", pine)
    version = world.admin.get(f"{GROUPS}/{pine}").body["version"]
    for parent in (wing["group_id"], pine):
        reply = world.admin.put(f"{GROUPS}/{pine}", {"name": "ACME Pine Mall", "parent_id": parent, "version": version})
        assert (reply.status, reply.message) == (400, "A charging group cannot be moved under itself or one of its subgroups.")
    assert _group("ACME", pine).path.count("/") == 3


def test_an_operator_cannot_move_their_own_base_group(world):
    birch = gid(world, "ACME Birch Mall")
    sub = _new_group(world.sibling, "Birch Cellar")
    version = world.sibling.get(f"{GROUPS}/{birch}").body["version"]
    reply = world.sibling.put(f"{GROUPS}/{birch}", {"name": "ACME Birch Mall", "parent_id": sub["group_id"], "version": version})
    assert (reply.status, reply.message) == (403, "Access denied.")
    # Renaming it is fine (its hidden parent is kept)
    assert world.sibling.put(f"{GROUPS}/{birch}", {"name": "Birch", "version": version}).status == 200


def test_move_target_outside_the_domain_is_missing(world):
    cellar = _new_group(world.sibling, "Birch Cellar")
    reply = world.sibling.put(
        f"{GROUPS}/{cellar['group_id']}", {"name": "Birch Cellar", "parent_id": gid(world, "ACME Pine Mall"), "version": cellar["version"]}
    )
    assert (reply.status, reply.message) == (404, MISSING)


# --- deleting ----------------------------------------------------------------------------------------
def test_delete_only_an_empty_group(world):
    pine = gid(world, "ACME Pine Mall")
    with_stations = world.admin.delete(f"{GROUPS}/{pine}")
    assert with_stations.status == 409 and "charging stations" in with_stations.message
    parent = _new_group(world.admin, "Annex")
    child = _new_group(world.admin, "Annex Floor", parent["group_id"])
    with_subgroups = world.admin.delete(f"{GROUPS}/{parent['group_id']}")
    assert with_subgroups.status == 409 and "subgroups" in with_subgroups.message
    assert world.admin.delete(f"{GROUPS}/{child['group_id']}").status == 204
    assert world.admin.delete(f"{GROUPS}/{parent['group_id']}").status == 204
    assert world.admin.get(f"{GROUPS}/{parent['group_id']}").status == 404


def test_a_base_group_cannot_be_deleted(world):
    for client, name in ((world.admin, "ACME Shopping Malls"), (world.sibling, "ACME Birch Mall")):
        for station in world.admin.get(f"{GROUPS}/{gid(world, name)}").body["stations"]:
            world.admin.delete(f"/api/v1/stations/{station['station_id']}")
        reply = client.delete(f"{GROUPS}/{gid(world, name)}")
        assert reply.status == 409 and "base group" in reply.message


# --- stations in and out ------------------------------------------------------------------------------
def test_add_and_remove_a_station(world):
    maple = gid(world, "ACME Maple Mall")
    added = world.admin.post(f"{GROUPS}/{maple}/stations", {"station_id": "EVI00000013"})
    assert added.status == 200
    assert "EVI00000013" in [s["station_id"] for s in added.body["stations"]]
    assert _station("EVI00000013").group_id == maple
    # Removing it from a group it is not in is a missing station
    assert world.admin.delete(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}/stations/EVI00000013").status == 404
    removed = world.admin.delete(f"{GROUPS}/{maple}/stations/EVI00000013")
    assert removed.status == 204
    station = _station("EVI00000013")
    assert station.group_id is None and station.group_path is None and station.orphan_org == "ACME"
    orphans = world.admin.get("/api/v1/stations?orphans=true").body["items"]
    assert [s["station_id"] for s in orphans] == ["EVI00000013"]
    # An admin of the whole organization adopts it back
    assert world.admin.post(f"{GROUPS}/{maple}/stations", {"station_id": "EVI00000013"}).status == 200
    assert _station("EVI00000013").orphan_org is None


def test_sibling_cannot_pull_stations_from_outside(world):
    reply = world.sibling.post(f"{GROUPS}/{gid(world, 'ACME Birch Mall')}/stations", {"station_id": "EVI00000013"})
    assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    removal = world.sibling.delete(f"{GROUPS}/{gid(world, 'ACME Pine Mall')}/stations/EVI00000013")
    assert (removal.status, removal.message) == (404, MISSING)
