"""My account: every operator edits their own information and password, and nobody else's."""

from __future__ import annotations

from tests.api.conftest import PASSWORD

NEW_PASSWORD = "Fresh-Garden-2024"


def _mine(client) -> dict:
    reply = client.get("/api/v1/account")
    assert reply.status == 200
    return reply.body


def test_operator_reads_their_own_account(world):
    me = _mine(world.basic)
    assert (me["username"], me["email"], me["role"], me["base_group_name"]) == ("t-basic", "t-basic@acme.test", "basic", "ACME Shopping Malls")


def test_basic_operator_edits_their_name_and_email(world):
    me = _mine(world.basic)
    reply = world.basic.put("/api/v1/account", {"first_name": "Basilio", "last_name": "Basic", "email": "basilio@acme.test", "version": me["version"]})
    assert reply.status == 200 and reply.body["email"] == "basilio@acme.test" and reply.body["version"] > me["version"]
    assert world.admin.get("/api/v1/operators?q=basilio").body["items"][0]["username"] == "t-basic"


def test_account_edit_cannot_touch_rights(world):
    me = _mine(world.basic)
    body = {"first_name": "B", "last_name": "B", "email": "b@acme.test", "version": me["version"]}
    for extra in ({"role": "admin"}, {"status": "Active"}, {"base_group_id": "x"}, {"username": "t-admin"}):
        assert world.basic.put("/api/v1/account", {**body, **extra}).status == 400, extra
    assert _mine(world.basic)["role"] == "basic"


def test_stale_account_edit_is_a_conflict(world):
    me = _mine(world.basic)
    body = {"first_name": "B", "last_name": "B", "email": "b@acme.test", "version": me["version"]}
    assert world.basic.put("/api/v1/account", body).status == 200
    stale = world.basic.put("/api/v1/account", {**body, "last_name": "C"})
    assert (stale.status, stale.message) == (409, "Operator not found.")


def test_change_own_password(world, client):
    wrong = world.basic.put("/api/v1/account/password", {"current_password": "nope", "new_password": NEW_PASSWORD})
    assert (wrong.status, wrong.message) == (400, "Wrong credentials.")
    weak = world.basic.put("/api/v1/account/password", {"current_password": PASSWORD, "new_password": "password"})
    assert (weak.status, weak.message) == (400, "Password does not conform to password policy.")
    assert world.basic.put("/api/v1/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}).status == 204
    # The session goes on, and the next log-in takes the new password only
    assert world.basic.get("/api/v1/auth/session").status == 200
    client.login("t-basic", NEW_PASSWORD)
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 401


def test_guessing_the_current_password_locks_the_account(world):
    for _ in range(5):
        world.basic.put("/api/v1/account/password", {"current_password": "nope", "new_password": NEW_PASSWORD})
    locked = world.basic.put("/api/v1/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert locked.status == 429


def test_anonymous_has_no_account(world):
    assert world.anonymous.get("/api/v1/account").status == 401
    assert world.anonymous.put("/api/v1/account/password", {"current_password": "a", "new_password": "b"}).status == 401
