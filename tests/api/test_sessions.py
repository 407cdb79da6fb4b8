"""Log in, log out, session lifetime and lock-out."""

from __future__ import annotations

from datetime import timedelta

from tests.api.conftest import PASSWORD


def test_login_gives_a_two_hour_session(world, client):
    # Given an active operator
    # When they log in
    reply = client.post("/api/v1/auth/login", {"username": "t-admin", "password": PASSWORD})
    # Then they get a bearer token valid for exactly two hours
    assert reply.status == 200
    assert reply.body["role"] == "admin" and reply.body["organization"] == "ACME"
    me = client.as_token(reply.body["token"]).get("/api/v1/auth/session")
    assert me.status == 200 and me.body["username"] == "t-admin"


def test_wrong_password_and_unknown_user_get_the_same_answer(world, client):
    wrong = client.post("/api/v1/auth/login", {"username": "t-admin", "password": "nope"})
    unknown = client.post("/api/v1/auth/login", {"username": "nobody", "password": "nope"})
    assert (wrong.status, wrong.message) == (401, "Wrong credentials.")
    assert (unknown.status, unknown.message) == (401, "Wrong credentials.")


def test_inactive_operator_cannot_log_in(world, client):
    from chalicelib.storage.models import OperatorItem

    OperatorItem.get("t-basic").update(actions=[OperatorItem.status.set("Inactive")])
    reply = client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD})
    assert (reply.status, reply.message) == (401, "Operator is inactive.")


def test_deactivated_operator_loses_the_open_session(world):
    from chalicelib.storage.models import OperatorItem

    OperatorItem.get("t-basic").update(actions=[OperatorItem.status.set("Inactive")])
    reply = world.basic.get("/api/v1/auth/session")
    assert (reply.status, reply.message) == (401, "Operator is not active.")


def test_logout_revokes_the_session(world):
    assert world.admin.post("/api/v1/auth/logout").status == 204
    assert world.admin.get("/api/v1/auth/session").status == 401


def test_session_ends_after_two_hours_whatever_the_activity(world, client, monkeypatch):
    from chalicelib import clock

    # A login of its own: the fixture's sessions may have been made minutes ago (tests/README.md)
    start = clock.now()
    admin = client.login("t-admin", PASSWORD)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=1, minutes=59))
    assert admin.get("/api/v1/auth/session").status == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=2, minutes=1))
    reply = admin.get("/api/v1/auth/session")
    assert (reply.status, reply.message) == (401, "Session expired. Please log in again.")


def test_repeated_failures_lock_the_account_for_a_while(world, client, monkeypatch):
    from chalicelib import clock

    for _ in range(5):
        assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": "bad"}).status == 401
    # Even the right password is refused while locked
    locked = client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD})
    assert locked.status == 429
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=16))
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 200


def test_anonymous_and_garbage_tokens_are_refused(world, client):
    assert client.get("/api/v1/auth/session").status == 401
    assert client.as_token("garbage").get("/api/v1/auth/session").status == 401
    bad = client.request("GET", "/api/v1/auth/session", headers={"authorization": "Basic Zm9vOmJhcg=="})
    assert bad.status == 401


def test_malformed_login_body_is_a_400_not_a_crash(client, aws):
    assert client.post("/api/v1/auth/login", b"{not json").status == 400
    assert client.post("/api/v1/auth/login", [1, 2]).status == 400
    reply = client.post("/api/v1/auth/login", {"username": "x"})
    assert reply.status == 400 and reply.body["errors"][0]["field"] == "password"


def test_only_bearer_credentials_are_read_as_a_session():
    from chalicelib.api.routing import bearer_token

    assert bearer_token({"authorization": "Bearer abc"}) == "abc"
    assert bearer_token({"authorization": "bearer  abc "}) == "abc"
    assert bearer_token({"authorization": "Basic abc"}) is None
    assert bearer_token({"authorization": "Bearer "}) is None
    assert bearer_token({}) is None
