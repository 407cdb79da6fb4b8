"""Charging user groups: list with member counts, create and edit with members (admins), delete when empty."""

from __future__ import annotations

GROUPS = "/api/v1/user-groups"
USERS = "/api/v1/charging-users"


def counts(api) -> dict[str, int]:
    return {g["name"]: g["member_count"] for g in api.get(f"{GROUPS}?limit=100").body["items"]}


def duckburg(api) -> dict:
    row = next(g for g in api.get(GROUPS).body["items"] if g["name"] == "Duckburg")
    return api.get(f"{GROUPS}/{row['user_group_id']}").body


def edit_body(group: dict, **changes) -> dict:
    body = {"name": group["name"], "member_ids": [m["user_id"] for m in group["members"]], "active": group["active"], "version": group["version"]}
    return {**body, **changes}


def test_duckburg_is_listed_with_its_five_members(world):
    rows = world.basic.get(GROUPS).body
    assert [(r["name"], r["member_count"], r["active"]) for r in rows["items"]] == [("Duckburg", 5, True)]
    assert rows["cursor"] is None
    group = duckburg(world.basic)
    assert [m["last_name"] for m in group["members"]] == ["Cloudbird", "Duck", "Mallard", "Mallard", "McDuck"]


def test_search_by_name(world):
    world.admin.post(GROUPS, {"name": "Senior company workers"})
    assert [r["name"] for r in world.admin.get(f"{GROUPS}?q=SENIOR").body["items"]] == ["Senior company workers"]


def test_create_with_members_moves_them_out_of_their_group(world):
    # Given the five Duckburg members
    # When the admin creates a group with two of them
    reply = world.admin.post(GROUPS, {"name": "Company managers", "member_ids": ["scrooge@duckburg.com", "Flint@Duckburg.com"]})
    # Then both moved: the counts and the users say so
    assert reply.status == 201, reply
    assert [m["first_name"] for m in reply.body["members"]] == ["Flintheart", "Scrooge"]
    assert reply.body["member_count"] == 2 and reply.body["version"] == 1
    assert counts(world.admin) == {"Duckburg": 3, "Company managers": 2}
    assert world.admin.get(f"{USERS}/scrooge@duckburg.com").body["user_group_name"] == "Company managers"


def test_edit_name_members_and_activation(world):
    # Given Duckburg as the admin saw it
    group = duckburg(world.admin)
    # When the admin renames it, keeps three members and deactivates it
    keep = ["scrooge@duckburg.com", "dduck@duckburg.com", "drake@duckburg.com"]
    reply = world.admin.put(f"{GROUPS}/{group['user_group_id']}", edit_body(group, name="Ducks", member_ids=keep, active=False))
    # Then the group and its members changed, the two others have no group
    assert reply.status == 200, reply
    assert (reply.body["name"], reply.body["member_count"], reply.body["active"]) == ("Ducks", 3, False)
    assert sorted(m["user_id"] for m in reply.body["members"]) == sorted(keep)
    assert world.admin.get(f"{USERS}/flint@duckburg.com").body["user_group_id"] is None
    assert counts(world.admin) == {"Ducks": 3}


def test_a_stale_version_is_refused(world):
    group = duckburg(world.admin)
    path = f"{GROUPS}/{group['user_group_id']}"
    assert world.admin.put(path, edit_body(group, name="Ducks")).status == 200
    reply = world.admin.put(path, edit_body(group, name="Geese"))
    assert reply.status == 409 and "Refresh" in reply.message
    assert duckburg_name(world) == "Ducks"


def duckburg_name(world) -> str:
    return world.admin.get(GROUPS).body["items"][0]["name"]


def test_a_member_joining_elsewhere_makes_the_group_view_stale(world):
    # Given Duckburg opened by the admin, then Scrooge moved out by a basic operator
    group = duckburg(world.admin)
    scrooge = world.basic.get(f"{USERS}/scrooge@duckburg.com").body
    keys = ("first_name", "last_name", "access_group_ids", "access_station_ids", "version")
    assert world.basic.put(f"{USERS}/scrooge@duckburg.com", {**{k: scrooge[k] for k in keys}, "user_group_id": None}).status == 200
    # When the admin saves the members they saw
    reply = world.admin.put(f"{GROUPS}/{group['user_group_id']}", edit_body(group, name="Ducks"))
    # Then it is refused rather than silently re-adding him
    assert reply.status == 409
    assert counts(world.admin) == {"Duckburg": 4}


def test_only_admins_add_or_edit_groups(world):
    group = duckburg(world.basic)
    for reply in (
        world.basic.post(GROUPS, {"name": "Guests"}),
        world.basic.put(f"{GROUPS}/{group['user_group_id']}", edit_body(group, name="Mine")),
        world.basic.delete(f"{GROUPS}/{group['user_group_id']}"),
    ):
        assert (reply.status, reply.message) == (403, "Access denied.")
    assert counts(world.admin) == {"Duckburg": 5}


def test_delete_only_when_empty(world):
    # Given Duckburg with members and an empty group
    group = duckburg(world.admin)
    empty = world.admin.post(GROUPS, {"name": "Guests"}).body
    # When the admin deletes both
    refused = world.admin.delete(f"{GROUPS}/{group['user_group_id']}")
    deleted = world.admin.delete(f"{GROUPS}/{empty['user_group_id']}")
    # Then only the empty one goes
    assert (refused.status, refused.message) == (409, "The charging user group has members. Remove them before deleting the group.")
    assert deleted.status == 204
    assert counts(world.admin) == {"Duckburg": 5}
    # And once emptied, Duckburg can go too
    emptied = world.admin.put(f"{GROUPS}/{group['user_group_id']}", edit_body(group, member_ids=[])).body
    assert emptied["member_count"] == 0
    assert world.admin.delete(f"{GROUPS}/{group['user_group_id']}").status == 204
    assert world.admin.get(f"{USERS}/scrooge@duckburg.com").body["user_group_id"] is None


def test_unknown_or_foreign_members_are_refused(world):
    # Given a user of the Birch Mall admin and Duckburg's users homed higher up
    world.sibling.post(USERS, {"first_name": "Bea", "last_name": "Birch", "email": "bea@birch.test"})
    # When the Birch admin makes a group with a user they cannot see, or one that does not exist
    hidden = world.sibling.post(GROUPS, {"name": "Birchers", "member_ids": ["bea@birch.test", "scrooge@duckburg.com"]})
    unknown = world.admin.post(GROUPS, {"name": "Ghosts", "member_ids": ["nobody@duckburg.com"]})
    # Then both are refused and nothing changed
    assert (hidden.status, hidden.message) == (404, "Charging user not found.")
    assert (unknown.status, unknown.message) == (404, "Charging user not found.")
    ok = world.sibling.post(GROUPS, {"name": "Birchers", "member_ids": ["bea@birch.test"]})
    assert ok.status == 201 and ok.body["member_count"] == 1


def test_groups_outside_the_domain_are_missing(world):
    group = duckburg(world.admin)
    path = f"{GROUPS}/{group['user_group_id']}"
    for api in (world.sibling, world.other_org):
        assert api.get(GROUPS).body["items"] == []
        for reply in (api.get(path), api.put(path, edit_body(group)), api.delete(path)):
            assert (reply.status, reply.message) == (404, "Charging user group not found.")
    assert world.anonymous.get(GROUPS).status == 401


def test_a_narrower_domain_keeps_the_members_it_cannot_see(world):
    # Given a group of the Birch admin's with one of their users, and Scrooge added by the organization's admin
    world.sibling.post(USERS, {"first_name": "Bea", "last_name": "Birch", "email": "bea@birch.test"})
    created = world.sibling.post(GROUPS, {"name": "Birchers", "member_ids": ["bea@birch.test"]}).body
    path = f"{GROUPS}/{created['user_group_id']}"
    seen = world.admin.get(path).body
    world.admin.put(path, edit_body(seen, member_ids=["bea@birch.test", "scrooge@duckburg.com"]))
    # When the Birch admin removes their user
    mine = world.sibling.get(path).body
    assert [m["user_id"] for m in mine["members"]] == ["bea@birch.test"] and mine["member_count"] == 2
    reply = world.sibling.put(path, edit_body(mine, member_ids=[]))
    # Then Scrooge stays
    assert reply.status == 200 and reply.body["member_count"] == 1
    assert [m["user_id"] for m in world.admin.get(path).body["members"]] == ["scrooge@duckburg.com"]


def test_too_many_changes_at_once_are_refused(world):
    ids = []
    for n in range(46):
        email = f"user{n}@duckburg.com"
        world.admin.post(USERS, {"first_name": "U", "last_name": str(n), "email": email})
        ids.append(email)
    reply = world.admin.post(GROUPS, {"name": "Crowd", "member_ids": ids})
    assert reply.status == 400 and "45" in reply.message
    ok = world.admin.post(GROUPS, {"name": "Crowd", "member_ids": ids[:45]})
    assert ok.status == 201 and ok.body["member_count"] == 45


def test_seeding_again_keeps_the_counts(world):
    from chalicelib.seed import seed_demo

    seed_demo()
    assert counts(world.admin) == {"Duckburg": 5}
    assert world.admin.get(f"{USERS}/scrooge@duckburg.com").body["token_count"] == 1
