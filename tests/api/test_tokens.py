"""RFID tokens of a charging user: add, edit, delete; unique and immutable ids, counts, denials."""

from __future__ import annotations

USERS = "/api/v1/charging-users"
SCROOGE = f"{USERS}/scrooge@duckburg.com"
TOKENS = f"{SCROOGE}/tokens"


def token_count(api, path=SCROOGE) -> int:
    return api.get(path).body["token_count"]


def row_count(api, email="scrooge@duckburg.com") -> int:
    return next(r["token_count"] for r in api.get(f"{USERS}?q={email}").body["items"])


def test_add_a_token(world):
    # Given Scrooge with one token
    # When a basic operator adds another one, written in lower case
    reply = world.basic.post(TOKENS, {"token_id": "ab12cd34", "name": "Office", "valid_to": "2030-06-01T12:00:00+03:00"})
    # Then it is kept in one spelling, and the counts show two tokens
    assert reply.status == 201, reply
    assert reply.body == {
        "token_id": "AB12CD34", "name": "Office", "status": "Active", "valid_from": reply.body["valid_from"],
        "valid_to": "2030-06-01T09:00:00Z", "valid_infinitely": False, "version": 1,
    }
    assert token_count(world.admin) == 2 and row_count(world.admin) == 2


def test_token_ids_are_unique_in_the_organization_whatever_the_case(world):
    world.admin.post(f"{USERS}", {"first_name": "Donna", "last_name": "Duck", "email": "donna@duckburg.com", "tokens": [{"token_id": "ab12cd34"}]})
    for token_id in ("12345678", "AB12CD34", "ab12CD34"):
        reply = world.admin.post(TOKENS, {"token_id": token_id})
        assert (reply.status, reply.message) == (409, "Token already exists."), token_id
    assert token_count(world.admin) == 1


def test_edit_a_token(world):
    # Given Scrooge's token as the operator saw it
    token = world.admin.get(SCROOGE).body["tokens"][0]
    # When a basic operator blocks it, renames it and ends its validity
    body = {"name": "Lost", "status": "Blocked", "valid_to": "2031-01-01T00:00:00Z", "version": token["version"]}
    reply = world.basic.put(f"{TOKENS}/12345678", body)
    # Then the token is changed, its start kept
    assert reply.status == 200, reply
    assert (reply.body["name"], reply.body["status"], reply.body["valid_to"]) == ("Lost", "Blocked", "2031-01-01T00:00:00Z")
    assert reply.body["valid_from"] == token["valid_from"] == "2018-04-13T00:00:00Z"
    assert world.admin.get(SCROOGE).body["tokens"][0] == reply.body


def test_token_id_in_the_path_is_case_insensitive(world):
    token = world.admin.get(SCROOGE).body["tokens"][0]
    world.admin.post(TOKENS, {"token_id": "AB12CD34"})
    reply = world.admin.put(f"{TOKENS}/ab12cd34", {"status": "Active", "version": 1})
    assert reply.status == 200 and reply.body["token_id"] == "AB12CD34"
    assert token["token_id"] == "12345678"


def test_a_stale_token_version_is_refused(world):
    token = world.admin.get(SCROOGE).body["tokens"][0]
    assert world.admin.put(f"{TOKENS}/12345678", {"status": "Blocked", "version": token["version"]}).status == 200
    reply = world.basic.put(f"{TOKENS}/12345678", {"status": "Active", "name": "Mine", "version": token["version"]})
    assert (reply.status, reply.message) == (409, "Charging user not found.")
    assert world.admin.get(SCROOGE).body["tokens"][0]["status"] == "Blocked"


def test_token_ids_cannot_be_changed(world):
    reply = world.admin.put(f"{TOKENS}/12345678", {"token_id": "87654321", "status": "Active", "version": 1})
    assert (reply.status, reply.message) == (400, "The id of an RFID token cannot be changed.")
    same = world.admin.put(f"{TOKENS}/12345678", {"token_id": "12345678", "status": "Active", "version": 1})
    assert same.status == 200


def test_validity_window_is_checked_on_edit(world):
    reply = world.admin.put(f"{TOKENS}/12345678", {"status": "Active", "valid_to": "2018-01-01T00:00:00Z", "version": 1})
    assert (reply.status, reply.message) == (400, "Token valid to must be later than token valid from.")


def test_only_admins_delete_tokens(world):
    # Given Scrooge's token
    # When a basic operator deletes it, then the admin
    denied = world.basic.delete(f"{TOKENS}/12345678")
    deleted = world.admin.delete(f"{TOKENS}/12345678")
    # Then only the admin could; the counts follow and the token is gone
    assert (denied.status, denied.message) == (403, "Access denied.")
    assert deleted.status == 204
    assert token_count(world.admin) == 0 and row_count(world.admin) == 0
    gone = world.admin.delete(f"{TOKENS}/12345678")
    assert (gone.status, gone.message) == (404, "Token not found.")


def test_a_token_of_another_user_is_not_found_under_this_one(world):
    other = f"{USERS}/dduck@duckburg.com/tokens/12345678"
    for reply in (world.admin.put(other, {"status": "Blocked", "version": 1}), world.admin.delete(other)):
        assert (reply.status, reply.message) == (404, "Token not found.")
    assert world.admin.get(SCROOGE).body["tokens"][0]["status"] == "Active"


def test_odd_token_ids_in_the_path_are_simply_not_found(world):
    for token_id in ("x" * 300, "a%2Fb", "%00"):
        assert world.admin.put(f"{TOKENS}/{token_id}", {"status": "Active", "version": 1}).status == 404


def test_tokens_outside_the_domain_are_not_reachable(world):
    body = {"status": "Blocked", "version": 1}
    for api in (world.sibling, world.other_org):
        for reply in (api.put(f"{TOKENS}/12345678", body), api.post(TOKENS, {"token_id": "NEW00001"}), api.delete(f"{TOKENS}/12345678")):
            assert (reply.status, reply.message) == (404, "Charging user not found.")
    assert world.anonymous.post(TOKENS, {"token_id": "NEW00001"}).status == 401
    assert world.admin.get(SCROOGE).body["tokens"][0]["status"] == "Active"


def test_adding_a_token_changes_the_users_version(world):
    # The edit view shows the tokens: one opened before a token was added is stale.
    scrooge = world.admin.get(SCROOGE).body
    world.basic.post(TOKENS, {"token_id": "NEW00001"})
    keys = ("first_name", "last_name", "user_group_id", "access_group_ids", "access_station_ids", "version")
    reply = world.admin.put(SCROOGE, {k: scrooge[k] for k in keys})
    assert (reply.status, reply.message) == (409, "Charging user not found.")
