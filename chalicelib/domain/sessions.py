"""Operator log-in sessions: two hours from log-in whatever the activity, revoked at log-out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.access import Principal
from chalicelib.domain.errors import TooManyAttempts, Unauthenticated
from chalicelib.domain.passwords import hash_password, verify_password
from chalicelib.storage import operators as store
from chalicelib.storage.models import OperatorSessionItem

SESSION_LIFETIME = timedelta(hours=2)
MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)
WRONG_CREDENTIALS = "Wrong credentials."
INACTIVE_AT_LOGIN = "Operator is inactive."
INACTIVE_IN_SESSION = "Operator is not active."
SESSION_EXPIRED = "Session expired. Please log in again."
LOGIN_REQUIRED = "Log in required."
LOCKED = "Too many failed log-in attempts. Try again later."

# Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: datetime
    principal: Principal


def login(username: str, password: str, now: datetime) -> NewSession:
    operator = store.get_operator(username) if username else None
    if operator is None or not operator.password_hash:
        _burn_time(password)
        raise Unauthenticated(WRONG_CREDENTIALS)
    if operator.locked_until is not None and operator.locked_until > now:
        raise TooManyAttempts(LOCKED)
    if not verify_password(operator.password_hash, password):
        failures = (operator.failed_logins or 0) + 1
        store.record_failed_login(operator, now + LOCK_TIME if failures >= MAX_FAILURES else None)
        raise Unauthenticated(WRONG_CREDENTIALS)
    if operator.status != "Active" or not operator.activated:
        raise Unauthenticated(INACTIVE_AT_LOGIN)
    if operator.failed_logins or operator.locked_until:
        store.clear_failed_logins(operator)
    token = secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    principal = _principal(operator, operator.role, token_hash(token))
    store.put_session(
        OperatorSessionItem(
            token_hash(token),
            username=operator.username,
            org_id=operator.org_id,
            role_at_login=operator.role,
            created_at=now,
            expires_at=expires_at,
            expires=expires_at,
        )
    )
    return NewSession(token, expires_at, principal)


def resolve(token: str | None, now: datetime) -> Principal:
    """The operator behind a bearer token, with the rights they hold right now."""
    if not token:
        raise Unauthenticated(LOGIN_REQUIRED)
    hashed = token_hash(token)
    session = store.get_session(hashed)
    if session is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if session.expires_at <= now:
        raise Unauthenticated(SESSION_EXPIRED)
    operator = store.get_operator(session.username)
    if operator is None or operator.org_id != session.org_id:
        raise Unauthenticated(LOGIN_REQUIRED)
    if operator.sessions_valid_from is not None and session.created_at < operator.sessions_valid_from:
        raise Unauthenticated(SESSION_EXPIRED)  # the password was reset through an e-mailed link since
    if operator.status != "Active":
        raise Unauthenticated(INACTIVE_IN_SESSION)
    return _principal(operator, session.role_at_login, hashed)


def _principal(operator, role_at_login: str, hashed: str) -> Principal:
    """The operator's rights now: their base group's current path is read (groups move)."""
    group = store.get_group(operator.org_id, operator.base_group_id)
    if group is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    return Principal(
        username=operator.username,
        org_id=operator.org_id,
        role=operator.role,
        base_group_id=operator.base_group_id,
        base_path=group.path,
        role_at_login=role_at_login,
        session_hash=hashed,
    )


def logout(principal: Principal) -> None:
    store.delete_session(principal.session_hash)


def _burn_time(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    verify_password(_DUMMY_HASH, password or "x")
