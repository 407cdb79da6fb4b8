"""Charging users: list and search, create with tokens, view, edit, delete; domains and concurrency."""

from __future__ import annotations

import pytest

USERS = "/api/v1/charging-users"
SCROOGE = f"{USERS}/scrooge@duckburg.com"


def new_user(email="daisy@duckburg.com", **changes) -> dict:
    body = {"first_name": "Daisy", "last_name": "Duck", "email": email}
    body.update(changes)
    return body


def user_group_id(world, name="Duckburg") -> str:
    groups = world.admin.get("/api/v1/user-groups?limit=100").body["items"]
    return next(g["user_group_id"] for g in groups if g["name"] == name)


def all_rows(api, query="") -> list[dict]:
    rows, cursor = [], None
    while True:
        reply = api.get(f"{USERS}?limit=2{query}" + (f"&cursor={cursor}" if cursor else ""))
        assert reply.status == 200, reply
        rows += reply.body["items"]
        cursor = reply.body["cursor"]
        if not cursor:
            return rows


# --- list and search -----------------------------------------------------------------------------
def test_the_manuals_users_are_listed_with_group_and_token_count(world):
    # Given the demo organization
    # When the admin pages through the charging users two at a time
    rows = all_rows(world.admin)
    # Then every user of the manual's table is there, with its group and token quantity
    table = {(r["first_name"], r["last_name"], r["user_group_name"], r["email"], r["token_count"]) for r in rows}
    assert ("Scrooge", "McDuck", "Duckburg", "scrooge@duckburg.com", 1) in table
    assert ("Flintheart", "Cloudbird", "Duckburg", "flint@duckburg.com", 0) in table
    assert len(rows) == 5


def test_search_matches_names_and_email_case_insensitively(world):
    mallards = world.admin.get(f"{USERS}?q=MALLARD").body["items"]
    assert {r["first_name"] for r in mallards} == {"Gosalyn", "Drake"}
    assert [r["first_name"] for r in world.admin.get(f"{USERS}?q=flint@").body["items"]] == ["Flintheart"]


def test_list_of_one_user_group(world):
    # Given Daisy in a new group and the others in Duckburg
    guests = world.admin.post("/api/v1/user-groups", {"name": "Guests"}).body["user_group_id"]
    assert world.admin.post(USERS, new_user(user_group_id=guests)).status == 201
    # When the list is filtered by each group
    in_guests = world.admin.get(f"{USERS}?user_group_id={guests}").body["items"]
    in_duckburg = all_rows(world.admin, f"&user_group_id={user_group_id(world)}")
    # Then each holds its own members
    assert [r["email"] for r in in_guests] == ["daisy@duckburg.com"]
    assert len(in_duckburg) == 5


def test_a_bad_cursor_is_a_400(world):
    reply = world.admin.get(f"{USERS}?cursor=garbage")
    assert (reply.status, reply.message) == (400, "Invalid cursor.")


# --- create --------------------------------------------------------------------------------------
def test_create_with_tokens_and_access_rights(world):
    # Given a group and a station of the admin's domain
    pine = world.groups["ACME Pine Mall"].group_id
    body = new_user(
        user_group_id=user_group_id(world),
        access_group_ids=[pine],
        access_station_ids=["EVI00000017"],
        tokens=[
            {"token_id": "dd000001", "name": "Workplace token", "valid_from": "2024-01-01T00:00:00+02:00"},
            {"token_id": "DD000002", "status": "Blocked", "valid_to": "2030-01-01T00:00:00Z"},
        ],
    )
    # When the admin adds the user
    created = world.admin.post(USERS, body)
    # Then the user is there with its tokens (ids in one case, times in UTC) and rights
    assert created.status == 201, created
    user = world.admin.get(f"{USERS}/daisy@duckburg.com").body
    assert user == created.body
    assert user["user_id"] == "daisy@duckburg.com" and user["user_group_name"] == "Duckburg"
    assert user["access_group_ids"] == [pine] and user["access_station_ids"] == ["EVI00000017"]
    first, second = user["tokens"]
    assert (first["token_id"], first["name"], first["valid_from"], first["valid_infinitely"]) == (
        "DD000001", "Workplace token", "2023-12-31T22:00:00Z", True,
    )
    assert (second["status"], second["valid_to"], second["valid_infinitely"]) == ("Blocked", "2030-01-01T00:00:00Z", False)
    assert user["token_count"] == 2 and user["active"] is True and user["version"] == 1


def test_a_token_without_valid_from_is_valid_from_now(world, monkeypatch):
    from datetime import UTC, datetime

    from chalicelib import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC))
    created = world.admin.post(USERS, new_user(tokens=[{"token_id": "DD000001"}])).body
    assert created["tokens"][0]["valid_from"] == "2025-05-06T07:08:09Z"


def test_basic_operators_add_users_too(world):
    assert world.basic.post(USERS, new_user()).status == 201


def test_email_is_unique_whatever_its_case(world):
    reply = world.admin.post(USERS, new_user(email="Scrooge@DuckBurg.com"))
    assert (reply.status, reply.message) == (409, "Username already exists.")


def test_a_duplicate_token_leaves_nothing_behind(world):
    # Given Scrooge's token 12345678
    # When a new user is added with a fresh token and Scrooge's
    tokens = [{"token_id": "DD000001"}, {"token_id": "12345678"}]
    reply = world.admin.post(USERS, new_user(tokens=tokens))
    # Then it is refused, and neither the user nor the fresh token exists
    assert (reply.status, reply.message) == (409, "Token already exists.")
    assert world.admin.get(f"{USERS}/daisy@duckburg.com").status == 404
    assert world.admin.post(USERS, new_user(tokens=[{"token_id": "DD000001"}])).status == 201


def test_the_same_token_twice_in_one_request_is_a_duplicate(world):
    reply = world.admin.post(USERS, new_user(tokens=[{"token_id": "ab000001"}, {"token_id": "AB000001"}]))
    assert (reply.status, reply.message) == (409, "Token already exists.")


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "not-an-email"},
        {"email": "a/b@duckburg.com"},
        {"first_name": ""},
        {"tokens": [{"token_id": "has space"}]},
        {"tokens": [{"token_id": "X" * 21}]},
        {"tokens": [{"token_id": "DD1", "valid_from": "2024-01-01T00:00:00"}]},  # no offset
        {"tokens": [{"token_id": "DD1", "valid_to": "0001-01-01T00:00:00Z"}]},
        {"tokens": [{"token_id": "DD1", "status": "Lost"}]},
        {"role": "admin"},
    ],
)
def test_invalid_input_is_a_400(world, changes):
    reply = world.admin.post(USERS, new_user(**changes))
    assert (reply.status, reply.message) == (400, "Invalid request."), changes


def test_validity_must_end_after_it_starts(world):
    token = {"token_id": "DD1", "valid_from": "2024-01-02T00:00:00Z", "valid_to": "2024-01-01T00:00:00Z"}
    reply = world.admin.post(USERS, new_user(tokens=[token]))
    assert (reply.status, reply.message) == (400, "Token valid to must be later than token valid from.")


def test_access_rights_must_be_inside_the_domain(world):
    # Given the Birch Mall admin
    pine = world.groups["ACME Pine Mall"].group_id
    birch = world.groups["ACME Birch Mall"].group_id
    # When they give rights to Pine Mall, to one of its stations, or to an unknown station
    group = world.sibling.post(USERS, new_user(access_group_ids=[pine]))
    station = world.sibling.post(USERS, new_user(access_station_ids=["EVI00000013"]))
    unknown = world.admin.post(USERS, new_user(access_station_ids=["NOPE"]))
    # Then each is refused as missing; rights of their own subtree are fine
    assert (group.status, group.message) == (404, "Charging group does not exist.")
    assert (station.status, station.message) == (404, "Charging station does not exist.")
    assert (unknown.status, unknown.message) == (404, "Charging station does not exist.")
    ok = world.sibling.post(USERS, new_user(access_group_ids=[birch], access_station_ids=["EVI00000015"]))
    assert ok.status == 201, ok


def test_an_unknown_user_group_is_refused(world):
    reply = world.admin.post(USERS, new_user(user_group_id="nope"))
    assert (reply.status, reply.message) == (404, "Charging user group not found.")


def test_a_transient_storage_failure_has_the_manuals_text(world, monkeypatch):
    # Given DynamoDB refusing transactions for now (throttled)
    from botocore.exceptions import ClientError

    from chalicelib.storage.base import connection

    client = connection().client
    original = client._make_api_call

    def throttled(operation, params):
        if operation == "TransactWriteItems":
            raise ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, operation)
        return original(operation, params)

    monkeypatch.setattr(client, "_make_api_call", throttled)
    # When a user is added or edited
    created = world.admin.post(USERS, new_user())
    scrooge = world.admin.get(SCROOGE).body
    edited = world.admin.put(SCROOGE, edit_body(scrooge, first_name="Uncle"))
    # Then the manual's texts say to retry
    assert (created.status, created.message) == (503, "Adding a new charging user failed.")
    assert (edited.status, edited.message) == (503, "Charging user updating failed.")


# --- domains -------------------------------------------------------------------------------------
def test_users_are_seen_only_inside_the_operators_domain(world):
    # Given a user added by the Birch Mall admin
    assert world.sibling.post(USERS, new_user()).status == 201
    # Then the Birch admin sees only that user; the organization's admin sees it too
    assert [r["email"] for r in world.sibling.get(USERS).body["items"]] == ["daisy@duckburg.com"]
    assert world.admin.get(f"{USERS}/daisy@duckburg.com").status == 200
    # And the users homed higher up are missing for the Birch admin, for reading and writing
    for reply in (
        world.sibling.get(SCROOGE),
        world.sibling.put(SCROOGE, {"first_name": "X", "last_name": "Y", "user_group_id": None, "access_group_ids": [], "access_station_ids": [], "version": 1}),
        world.sibling.delete(SCROOGE),
        world.sibling.post(f"{SCROOGE}/tokens", {"token_id": "NEW00001"}),
    ):
        assert (reply.status, reply.message) == (404, "Charging user not found.")


def test_another_organization_sees_none_of_them(world):
    assert world.other_org.get(USERS).body["items"] == []
    reply = world.other_org.get(SCROOGE)
    assert (reply.status, reply.message) == (404, "Charging user not found.")
    assert world.other_org.delete(SCROOGE).status == 404


def test_anonymous_is_refused(world):
    for reply in (world.anonymous.get(USERS), world.anonymous.post(USERS, new_user()), world.anonymous.get(SCROOGE)):
        assert reply.status == 401


def test_a_narrower_domain_keeps_rights_it_cannot_see(world):
    # Given a Birch Mall user to whom the organization's admin also gave Pine Mall rights
    birch, pine = world.groups["ACME Birch Mall"].group_id, world.groups["ACME Pine Mall"].group_id
    world.sibling.post(USERS, new_user(access_group_ids=[birch]))
    path = f"{USERS}/daisy@duckburg.com"
    seen = world.admin.get(path).body
    world.admin.put(path, edit_body(seen, access_group_ids=[birch, pine], access_station_ids=["EVI00000013"]))
    # When the Birch admin views it and saves only Birch Mall's station
    mine = world.sibling.get(path).body
    assert (mine["access_group_ids"], mine["access_station_ids"]) == ([birch], [])
    saved = world.sibling.put(path, edit_body(mine, access_group_ids=[], access_station_ids=["EVI00000015"]))
    assert saved.status == 200, saved
    # Then the Pine rights they could not see are still there
    full = world.admin.get(path).body
    assert set(full["access_group_ids"]) == {pine}
    assert set(full["access_station_ids"]) == {"EVI00000013", "EVI00000015"}


# --- edit ----------------------------------------------------------------------------------------
def edit_body(user: dict, **changes) -> dict:
    keys = ("first_name", "last_name", "user_group_id", "access_group_ids", "access_station_ids", "version")
    return {**{k: user[k] for k in keys}, **changes}


def test_edit_names_and_rights(world):
    scrooge = world.admin.get(SCROOGE).body
    reply = world.basic.put(SCROOGE, edit_body(scrooge, first_name="Uncle", access_station_ids=["EVI00000013"]))
    assert reply.status == 200, reply
    assert reply.body["first_name"] == "Uncle" and reply.body["version"] == scrooge["version"] + 1
    assert reply.body["access_station_ids"] == ["EVI00000013"] and len(reply.body["tokens"]) == 1
    assert world.admin.get(f"{USERS}?q=uncle").body["items"][0]["email"] == "scrooge@duckburg.com"


def test_a_stale_version_is_refused(world):
    # Given two operators who opened Scrooge at the same version
    scrooge = world.admin.get(SCROOGE).body
    assert world.basic.put(SCROOGE, edit_body(scrooge, first_name="Uncle")).status == 200
    # When the second saves what they saw
    reply = world.admin.put(SCROOGE, edit_body(scrooge, last_name="Rich"))
    # Then the manual's concurrency text tells them to retry
    assert (reply.status, reply.message) == (409, "Charging user not found.")
    assert world.admin.get(SCROOGE).body["last_name"] == "McDuck"


def test_email_cannot_be_changed(world):
    scrooge = world.admin.get(SCROOGE).body
    changed = world.admin.put(SCROOGE, edit_body(scrooge, email="other@duckburg.com"))
    assert (changed.status, changed.message) == (400, "The e-mail address of a charging user cannot be changed.")
    same = world.admin.put(SCROOGE, edit_body(scrooge, email="Scrooge@duckburg.com"))
    assert same.status == 200


def test_tokens_are_not_edited_through_the_user(world):
    scrooge = world.admin.get(SCROOGE).body
    reply = world.admin.put(SCROOGE, edit_body(scrooge, tokens=[]))
    assert reply.status == 400 and reply.body["errors"][0]["field"] == "tokens"


def test_moving_a_user_between_user_groups_keeps_the_counts(world):
    # Given Scrooge in Duckburg (5 members) and an empty group
    guests = world.admin.post("/api/v1/user-groups", {"name": "Guests"}).body["user_group_id"]
    scrooge = world.admin.get(SCROOGE).body
    # When he is moved, then taken out of every group
    moved = world.basic.put(SCROOGE, edit_body(scrooge, user_group_id=guests)).body
    counts = {g["name"]: g["member_count"] for g in world.admin.get("/api/v1/user-groups").body["items"]}
    assert counts == {"Duckburg": 4, "Guests": 1} and moved["user_group_name"] == "Guests"
    world.basic.put(SCROOGE, edit_body(moved, user_group_id=None))
    # Then the counts follow
    counts = {g["name"]: g["member_count"] for g in world.admin.get("/api/v1/user-groups").body["items"]}
    assert counts == {"Duckburg": 4, "Guests": 0}


def test_only_admins_change_the_activation(world):
    scrooge = world.admin.get(SCROOGE).body
    denied = world.basic.put(SCROOGE, edit_body(scrooge, active=False))
    assert (denied.status, denied.message) == (403, "Access denied.")
    assert world.basic.put(SCROOGE, edit_body(scrooge, active=True)).status == 200  # unchanged: fine
    scrooge = world.admin.get(SCROOGE).body
    reply = world.admin.put(SCROOGE, edit_body(scrooge, active=False))
    assert reply.status == 200 and reply.body["active"] is False


# --- delete --------------------------------------------------------------------------------------
def test_only_admins_remove_users(world):
    reply = world.basic.delete(SCROOGE)
    assert (reply.status, reply.message) == (403, "Access denied.")
    assert world.admin.get(SCROOGE).status == 200


def test_delete_removes_the_tokens_and_frees_their_ids(world):
    # Given Scrooge with his token, member of Duckburg
    # When the admin removes him
    assert world.admin.delete(SCROOGE).status == 204
    # Then he, his token and his membership are gone; the token id can be given again
    assert world.admin.get(SCROOGE).status == 404
    assert world.admin.delete(SCROOGE).status == 404
    assert world.admin.get("/api/v1/user-groups").body["items"][0]["member_count"] == 4
    assert world.admin.post(USERS, new_user(tokens=[{"token_id": "12345678"}])).status == 201


def test_delete_with_many_tokens(world):
    # Given a user with more tokens than one transaction holds
    world.admin.post(USERS, new_user(tokens=[{"token_id": f"T{n:05d}"} for n in range(50)]))
    path = f"{USERS}/daisy@duckburg.com"
    for n in range(50, 120):
        assert world.admin.post(f"{path}/tokens", {"token_id": f"T{n:05d}"}).status == 201
    assert world.admin.get(path).body["token_count"] == 120
    # When it is deleted
    assert world.admin.delete(path).status == 204
    # Then every token is gone
    from chalicelib.storage import users

    assert users.tokens_of("ACME", "daisy@duckburg.com") == []


def test_user_ids_may_come_percent_encoded(world):
    world.admin.post(USERS, new_user(email="daisy+ev@duckburg.com"))
    for path in ("daisy+ev@duckburg.com", "daisy%2Bev%40duckburg.com", "Daisy+EV@duckburg.com"):
        reply = world.admin.get(f"{USERS}/{path}")
        assert reply.status == 200 and reply.body["email"] == "daisy+ev@duckburg.com", path
