"""Single-use e-mailed links: invitations (7 days) and password resets (1 hour).

The token travels only in the e-mail; DynamoDB keeps its SHA-256. A link works once, before it
expires, while the operator still has the e-mail address it was sent to, and only if nothing newer
replaced it: a newer invitation or reminder kills the older invitation links, a password change
kills the older reset links.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.errors import Conflict, Invalid, NotFound
from chalicelib.settings import get_settings
from chalicelib.storage import operators as store
from chalicelib.storage.models import OperatorItem, OperatorTokenItem

INVITE = "invite"
RESET = "reset"
LIFETIME = {INVITE: timedelta(days=7), RESET: timedelta(hours=1)}
PAGE = {INVITE: "activate", RESET: "reset-password"}
LINK_INVALID = "This link is not valid or has already been used."
LINK_EXPIRED = "This link has expired. Ask for a new one."
ALREADY_ACTIVATED = "This account is already activated. Log in with your username and password."


@dataclass(frozen=True)
class OpenLink:
    token: OperatorTokenItem
    operator: OperatorItem


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(operator: OperatorItem, kind: str, now: datetime) -> str:
    """Store a new token for the operator; returns the URL to e-mail."""
    token = secrets.token_urlsafe(32)
    expires_at = now + LIFETIME[kind]
    store.put_token(
        OperatorTokenItem(
            token_hash(token),
            kind=kind,
            username=operator.username,
            email_key=operator.email_key,
            issued_at=now,
            expires_at=expires_at,
            expires=expires_at,
        )
    )
    return f"{get_settings().public_url}/#/{PAGE[kind]}?token={token}"


def open_link(token: str, kind: str, now: datetime) -> OpenLink:
    """The live link behind a token, without using it (a refused password must not burn it)."""
    item = store.get_token(token_hash(token))
    if item is None or item.kind != kind:
        raise NotFound(LINK_INVALID)
    if item.expires_at <= now:
        raise Invalid(LINK_EXPIRED)
    operator = store.get_operator(item.username)
    if operator is None or item.issued_at is None or not item.email_key or operator.email_key != item.email_key:
        raise NotFound(LINK_INVALID)
    if kind == INVITE:
        if operator.activated:
            raise Conflict(ALREADY_ACTIVATED)
        if operator.invited_at is not None and item.issued_at < operator.invited_at:
            raise NotFound(LINK_INVALID)
    elif not operator.activated or (operator.password_changed_at is not None and item.issued_at < operator.password_changed_at):
        raise NotFound(LINK_INVALID)
    return OpenLink(item, operator)


def use(link: OpenLink) -> None:
    if not store.use_token(link.token):
        raise NotFound(LINK_INVALID)


def forget(link_url: str) -> None:
    """Drop a token whose e-mail could not be sent."""
    store.delete_token(token_hash(link_url.rsplit("token=", 1)[-1]))
