"""Lost password: an e-mailed single-use, expiring link, and the password policy when it is used."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import PASSWORD
from tests.api.mailbox import Mailbox

NEW_PASSWORD = "Fresh-Garden-2024"
SENT = "If the address belongs to an operator, an e-mail with instructions for setting a new password is on its way."


@pytest.fixture
def mailbox(aws) -> Mailbox:
    return Mailbox()


@pytest.fixture
def clock_at(monkeypatch):
    """Pin the request time: clock_at(offset) makes every request happen `offset` from now."""
    from chalicelib import clock

    start = clock.now()

    def pin(offset: timedelta) -> None:
        monkeypatch.setattr(clock, "now", lambda: start + offset)

    pin(timedelta(0))
    return pin


def _lost(client, email: str):
    return client.post("/api/v1/auth/lost-password", {"email": email})


def test_lost_password_link_sets_a_new_password_once(world, mailbox, client):
    # Given an operator who lost their password asks for a link
    reply = _lost(client, "T-Basic@ACME.test")
    assert (reply.status, reply.body["message"]) == (202, SENT)
    mail = mailbox.last("t-basic@acme.test")
    assert mail.subject == "Reset your password" and "/#/reset-password?token=" in mail.body
    # When they set a new password through it
    assert client.post("/api/v1/auth/reset-password", {"token": mail.token, "password": NEW_PASSWORD}).status == 204
    # Then the new password logs in, the old one does not, and the link is spent
    client.login("t-basic", NEW_PASSWORD)
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 401
    again = client.post("/api/v1/auth/reset-password", {"token": mail.token, "password": "Another-Pass-99"})
    assert (again.status, again.message) == (404, "This link is not valid or has already been used.")


def test_unknown_address_gets_the_same_answer_and_no_mail(world, mailbox, client):
    reply = _lost(client, "nobody@nowhere.test")
    assert (reply.status, reply.body["message"]) == (202, SENT)
    assert mailbox.all() == []


def test_inactive_and_not_activated_operators_get_no_mail(world, mailbox, client):
    from chalicelib.storage.models import OperatorItem

    OperatorItem.get("t-basic").update(actions=[OperatorItem.status.set("Inactive")])
    OperatorItem.get("t-birch").update(actions=[OperatorItem.activated.set(False)])
    assert _lost(client, "t-basic@acme.test").status == 202
    assert _lost(client, "t-birch@acme.test").status == 202
    assert mailbox.all() == []


def test_one_mail_a_minute_per_operator(world, mailbox, client, clock_at):
    _lost(client, "t-basic@acme.test")
    _lost(client, "t-basic@acme.test")
    assert len(mailbox.to("t-basic@acme.test")) == 1
    clock_at(timedelta(minutes=2))
    _lost(client, "t-basic@acme.test")
    assert len(mailbox.to("t-basic@acme.test")) == 2


def test_reset_link_expires_after_an_hour(world, mailbox, client, clock_at):
    _lost(client, "t-basic@acme.test")
    token = mailbox.last("t-basic@acme.test").token
    clock_at(timedelta(hours=1, seconds=1))
    reply = client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD})
    assert (reply.status, reply.message) == (400, "This link has expired. Ask for a new one.")


def test_invitation_link_expires_after_seven_days(world, mailbox, client, clock_at):
    world.admin.post(
        "/api/v1/operators",
        {"email": "late@acme.test", "email_confirmation": "late@acme.test", "username": "late", "first_name": "L",
         "last_name": "Ate", "role": "basic", "base_group_id": world.groups["ACME Pine Mall"].group_id},
    )
    token = mailbox.last("late@acme.test").token
    clock_at(timedelta(days=7, seconds=1))
    reply = client.post("/api/v1/auth/activate", {"token": token, "password": NEW_PASSWORD})
    assert (reply.status, reply.message) == (400, "This link has expired. Ask for a new one.")


def test_weak_password_is_refused_and_the_link_still_works(world, mailbox, client):
    _lost(client, "t-basic@acme.test")
    token = mailbox.last("t-basic@acme.test").token
    for weak in ("short1A!", "alllowercaseletters", "t-basic-Password-1"):
        reply = client.post("/api/v1/auth/reset-password", {"token": token, "password": weak})
        assert (reply.status, reply.message) == (400, "Password does not conform to password policy."), weak
    assert client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204


def test_reset_ends_the_lock_out_and_older_sessions(world, mailbox, client):
    # Given an operator locked out by failed log-ins, with a session still open elsewhere
    for _ in range(5):
        client.post("/api/v1/auth/login", {"username": "t-basic", "password": "bad"})
    assert client.post("/api/v1/auth/login", {"username": "t-basic", "password": PASSWORD}).status == 429
    # When they reset the password through the e-mailed link
    _lost(client, "t-basic@acme.test")
    token = mailbox.last("t-basic@acme.test").token
    assert client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    # Then they log in at once, and the session opened before the reset is over
    assert client.login("t-basic", NEW_PASSWORD).get("/api/v1/auth/session").status == 200
    assert world.basic.get("/api/v1/auth/session").status == 401


def test_reset_link_dies_when_the_email_changes(world, mailbox, client):
    _lost(client, "t-basic@acme.test")
    token = mailbox.last("t-basic@acme.test").token
    current = world.basic.get("/api/v1/account").body
    world.basic.put("/api/v1/account", {"first_name": "B", "last_name": "B", "email": "other@acme.test", "version": current["version"]})
    assert client.post("/api/v1/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 404


def test_reset_and_activation_links_are_not_interchangeable(world, mailbox, client):
    _lost(client, "t-basic@acme.test")
    token = mailbox.last("t-basic@acme.test").token
    assert client.post("/api/v1/auth/activate", {"token": token, "password": NEW_PASSWORD}).status == 404
    assert client.post("/api/v1/auth/reset-password", {"token": "garbage", "password": NEW_PASSWORD}).status == 404
    assert client.post("/api/v1/auth/reset-password", {"token": "", "password": NEW_PASSWORD}).status == 400


def test_sent_mail_is_logged_with_the_link_only_locally(world, mailbox, client, monkeypatch, log_records):
    from chalicelib.settings import get_settings

    records = log_records
    # Given links must not be logged (as in AWS)
    monkeypatch.setenv("CSMS_MAIL_LOG_LINKS", "0")
    get_settings.cache_clear()
    _lost(client, "t-basic@acme.test")
    sent = [r for r in records if r.getMessage() == "mail sent"]
    assert sent and sent[-1].to == "t-basic@acme.test" and not hasattr(sent[-1], "link")
    # Given the local stack's setting
    monkeypatch.setenv("CSMS_MAIL_LOG_LINKS", "1")
    get_settings.cache_clear()
    world.admin.post("/api/v1/operators/t-basic/password-reset", {"email": "t-basic@acme.test"})
    sent = [r for r in records if r.getMessage() == "mail sent"]
    assert sent[-1].link.startswith(get_settings().public_url + "/#/reset-password?token=")
    get_settings.cache_clear()


@pytest.fixture
def log_records():
    """What the app logs at INFO and above, kept by a handler on its logger."""
    import logging

    from chalicelib.observability import logger

    records: list = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    std, handler = logger._logger, Keep()
    level = std.level
    std.addHandler(handler)
    std.setLevel(logging.INFO)
    yield records
    std.setLevel(level)
    std.removeHandler(handler)
