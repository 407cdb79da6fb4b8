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
from chalicelib.ports.operators import LinkToken, Operator
from chalicelib.ports.registry import store
from chalicelib.settings import get_settings

INVITE = "invite"
RESET = "reset"
LIFETIME = {INVITE: timedelta(days=7), RESET: timedelta(hours=1)}
PAGE = {INVITE: "activate", RESET: "reset-password"}
LINK_INVALID = "This link is not valid or has already been used."
LINK_EXPIRED = "This link has expired. Ask for a new one."
ALREADY_ACTIVATED = "This account is already activated. Log in with your username and password."


@dataclass(frozen=True)
class OpenLink:
    token: LinkToken
    operator: Operator


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(operator: Operator, kind: str, now: datetime) -> str:
    """Store a new token for the operator; returns the URL to e-mail (StorageUnavailable if it cannot)."""
    token = secrets.token_urlsafe(32)
    store().operators.put_link(LinkToken(token_hash(token), kind, operator.username, operator.email_key, now, now + LIFETIME[kind]))
    return f"{get_settings().public_url}/#/{PAGE[kind]}?token={token}"


def open_link(token: str, kind: str, now: datetime) -> OpenLink:
    """The live link behind a token, without using it (a refused password must not burn it)."""
    item = store().operators.link(token_hash(token))
    if item is None or item.kind != kind:
        raise NotFound(LINK_INVALID)
    if item.expires_at <= now:
        raise Invalid(LINK_EXPIRED)
    operator = store().operators.operator(item.username)
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
    if not store().operators.use_link(link.token.token_hash):
        raise NotFound(LINK_INVALID)


def forget(link_url: str) -> None:
    """Drop a token whose e-mail could not be sent."""
    store().operators.delete_link(token_hash(link_url.rsplit("token=", 1)[-1]))
