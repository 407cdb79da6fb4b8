"""Operator log-in sessions: two hours from log-in whatever the activity, revoked at log-out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain import throttle
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import TooManyAttempts, Unauthenticated
from chalicelib.domain.passwords import hash_password, verify_password
from chalicelib.domain.throttle import REFUND, Limit
from chalicelib.ports.operators import LoginSession
from chalicelib.ports.registry import store

SESSION_LIFETIME = timedelta(hours=2)
# Guesses per 15 minutes (ADR 0009). A browser without a device token shares the untrusted limits:
# per username from one address, per username from all addresses, per address over all usernames.
# A browser with the operator's device token is limited on its own: strangers cannot lock it out.
PER_USERNAME_AND_SOURCE = 5
PER_USERNAME = 20
PER_SOURCE = 50
PER_DEVICE = 5
DEVICE_LIFETIME = timedelta(days=90)
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
    device_token: str


def login_limits(username: str, source: str, device: str | None) -> list[Limit]:
    """The limits one log-in attempt counts against; keyed by the username as typed, known or not."""
    if device is not None:
        return [Limit(f"LOGIN#dev#{device}", PER_DEVICE)]
    return [
        Limit(f"LOGIN#ip#{source}#u#{username}", PER_USERNAME_AND_SOURCE),
        Limit(f"LOGIN#u#{username}", PER_USERNAME, REFUND),
        Limit(f"LOGIN#ip#{source}", PER_SOURCE, REFUND),
    ]


def login(username: str, password: str, now: datetime, source: str, device_token: str | None = None) -> NewSession:
    device = _trusted_device(device_token, username, now)
    limits = login_limits(username, source, device)
    try:
        throttle.take(limits, now)  # before the password is checked: parallel guesses wait their turn
    except throttle.Throttled as exc:
        raise TooManyAttempts(LOCKED) from exc
    operator = store().operators.operator(username)
    if operator is None or not operator.password_hash:
        _burn_time(password)
        raise Unauthenticated(WRONG_CREDENTIALS)
    if not verify_password(operator.password_hash, password):
        raise Unauthenticated(WRONG_CREDENTIALS)
    throttle.succeeded(limits)
    if operator.status != "Active" or not operator.activated:
        raise Unauthenticated(INACTIVE_AT_LOGIN)
    token = secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    principal = _principal(operator, operator.role, token_hash(token))
    store().operators.put_session(LoginSession(token_hash(token), operator.username, operator.org_id, operator.role, now, expires_at))
    if device is None:
        device_token = _new_device(operator.username, now)
    return NewSession(token, expires_at, principal, device_token)


def forget_failures(username: str, source: str) -> None:
    """A password set through an e-mailed link ends the untrusted lock-out of that address."""
    throttle.forget(login_limits(username, source, None)[:2])


def _trusted_device(device_token: str | None, username: str, now: datetime) -> str | None:
    """The hash of a device token this username logged in with and that has not expired, else None."""
    if not device_token:
        return None
    hashed = token_hash(device_token)
    device = store().throttle.device(hashed)
    if device is None or device.username != username or device.expires_at <= now:
        return None
    return hashed


def _new_device(username: str, now: datetime) -> str:
    device_token = secrets.token_urlsafe(32)
    store().throttle.trust_device(token_hash(device_token), username, now + DEVICE_LIFETIME)
    return device_token


def resolve(token: str | None, now: datetime) -> Principal:
    """The operator behind a bearer token, with the rights they hold right now."""
    if not token:
        raise Unauthenticated(LOGIN_REQUIRED)
    hashed = token_hash(token)
    session = store().operators.session(hashed)
    if session is None:
        raise Unauthenticated(LOGIN_REQUIRED)
    if session.expires_at <= now:
        raise Unauthenticated(SESSION_EXPIRED)
    operator = store().operators.operator(session.username)
    if operator is None or operator.org_id != session.org_id:
        raise Unauthenticated(LOGIN_REQUIRED)
    if operator.sessions_valid_from is not None and session.created_at < operator.sessions_valid_from:
        raise Unauthenticated(SESSION_EXPIRED)  # the password was reset through an e-mailed link since
    if operator.status != "Active":
        raise Unauthenticated(INACTIVE_IN_SESSION)
    return _principal(operator, session.role_at_login, hashed)


def _principal(operator, role_at_login: str, hashed: str) -> Principal:
    """The operator's rights now: their base group's current path is read (groups move)."""
    group = store().operators.group(operator.org_id, operator.base_group_id)
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
    store().operators.delete_session(principal.session_hash)


def _burn_time(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    verify_password(_DUMMY_HASH, password or "x")
