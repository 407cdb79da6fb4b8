"""Operator rules on the in-memory store: log-in, the guessing lock-out, optimistic locking, reset links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import credentials, sessions
from chalicelib.domain import operators as ops
from chalicelib.domain.errors import Conflict, TooManyAttempts, Unauthenticated
from chalicelib.domain.passwords import hash_password
from chalicelib.memstore import memory_store
from chalicelib.ports.operators import GroupRef, Operator
from chalicelib.ports.registry import using

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)


@pytest.fixture
def mem():
    with using(memory_store()) as store:
        store.operators.add_group("ORG", GroupRef("root", "Root", "/root/"))
        store.operators.create_operator(
            Operator("ann", "ORG", "ann@example.com", "Ann", "Smith", "admin", "root", password_hash=_HASH)
        )
        yield store


def test_a_log_in_opens_a_session_that_resolves_to_the_operator(mem):
    new = sessions.login("ann", PASSWORD, T0, "10.0.0.1")
    principal = sessions.resolve(new.token, T0 + timedelta(minutes=5))
    assert (principal.username, principal.base_path, principal.role) == ("ann", "/root/", "admin")
    with pytest.raises(Unauthenticated, match=r"^Session expired\. Please log in again\.$"):
        sessions.resolve(new.token, T0 + sessions.SESSION_LIFETIME)


def test_five_wrong_passwords_lock_the_username_from_that_address(mem):
    for _ in range(sessions.PER_USERNAME_AND_SOURCE):
        with pytest.raises(Unauthenticated, match=r"^Wrong credentials\.$"):
            sessions.login("ann", "wrong", T0, "10.0.0.1")
    with pytest.raises(TooManyAttempts, match=r"^Too many failed log-in attempts\. Try again later\.$"):
        sessions.login("ann", PASSWORD, T0, "10.0.0.1")
    assert sessions.login("ann", PASSWORD, T0, "10.0.0.2").principal.username == "ann"  # another address
    assert sessions.login("ann", PASSWORD, T0 + timedelta(minutes=15), "10.0.0.1").token  # the next window


def test_a_trusted_device_is_not_locked_out_by_strangers(mem):
    device = sessions.login("ann", PASSWORD, T0, "10.0.0.1").device_token
    for _ in range(sessions.PER_USERNAME):
        with pytest.raises((Unauthenticated, TooManyAttempts)):
            sessions.login("ann", "wrong", T0, "10.9.9.9")
    assert sessions.login("ann", PASSWORD, T0, "10.9.9.9", device).principal.username == "ann"


def test_an_edit_made_on_an_old_version_is_refused(mem):
    seen = mem.operators.operator("ann")
    saved = ops.save(seen, seen.version, {"first_name": "Anna"})
    assert (saved.first_name, saved.version) == ("Anna", seen.version + 1)
    with pytest.raises(Conflict, match=r"^Operator not found\.$"):
        ops.save(seen, seen.version, {"first_name": "Annie"})


def test_a_reset_link_sets_the_password_once_and_ends_older_sessions(mem):
    old = sessions.login("ann", PASSWORD, T0, "10.0.0.1")
    credentials.lost_password("ANN@example.com", T0)
    (letter,) = mem.mail.sent
    assert (letter.to, letter.subject) == ("ann@example.com", "Reset your password")
    token = re.search(r"token=([\w-]+)", letter.text).group(1)
    later = T0 + timedelta(minutes=1)
    credentials.reset_password(token, "a brand new passphrase 42", later, "10.0.0.1")
    with pytest.raises(Unauthenticated, match=r"^Session expired\. Please log in again\.$"):
        sessions.resolve(old.token, later)
    with pytest.raises(Exception, match=r"^This link is not valid or has already been used\.$"):
        credentials.reset_password(token, "another passphrase 4242", later, "10.0.0.1")
    assert sessions.login("ann", "a brand new passphrase 42", later, "10.0.0.1").token


def test_an_invitation_the_mail_service_refuses_leaves_no_operator_behind(mem):
    from chalicelib.domain import invitations
    from chalicelib.domain.access import Principal
    from chalicelib.domain.errors import Invalid

    admin = Principal("ann", "ORG", "admin", "root", "/root/")
    mem.mail.refuse("newbie@example.com")
    new = invitations.NewOperator("newbie", "newbie@example.com", "New", "Bie", "basic", "root")
    with pytest.raises(Invalid, match=r"^Problem with email address\.$"):
        invitations.invite(admin, new, T0)
    assert mem.operators.operator("newbie") is None and mem.mail.sent == []
