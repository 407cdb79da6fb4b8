"""RFID tokens of charging users: add, edit (name, status, validity), delete; ids unique and immutable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from chalicelib.domain.errors import USER_MISSING, Conflict, DomainError, Invalid, NotFound, Unavailable
from chalicelib.domain.user_scope import Scope, find_user
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.registry import store
from chalicelib.ports.users import Refused, RfidToken, TokenEdit

DUPLICATE_RFID = "Token already exists."
UNKNOWN_RFID = "Token not found."
RFID_ID_FIXED = "The id of an RFID token cannot be changed."
BAD_VALIDITY = "Token valid to must be later than token valid from."
UPDATE_FAILED = "Charging user updating failed."
STORAGE = 10
# What an RFID reader or an eMAID-style id holds (OCPP idTag: at most 20 characters); safe in a URL path.
TOKEN_ID = re.compile(r"^[A-Za-z0-9*._:-]{1,20}$")


class StorageBusy(DomainError):
    """A transient storage failure the manual answers with its own text; retry."""

    status = 503


@dataclass(frozen=True)
class TokenFields:
    name: str | None
    status: str  # Active | Blocked
    valid_from: datetime | None  # None: from the time the token is added
    valid_to: datetime | None  # None: valid infinitely


def canonical(token_id: str) -> str:
    """OCPP 1.6 idTags are case-insensitive (CiString20): one spelling is kept, upper case."""
    return token_id.upper()


def new_token(org_id: str, user_id: str, token_id: str, fields: TokenFields, now: datetime) -> RfidToken:
    valid_from = fields.valid_from or now
    _check_window(valid_from, fields.valid_to)
    return RfidToken(org_id, canonical(token_id), user_id, fields.name, fields.status, valid_from, fields.valid_to)


def add(scope: Scope, user_id: str, token_id: str, fields: TokenFields, now: datetime) -> RfidToken:
    user = find_user(scope, user_id)
    token = new_token(scope.org_id, user.user_id, token_id, fields, now)
    try:
        return store().users.add_token(user, token)
    except Refused as exc:
        raise (Conflict(DUPLICATE_RFID) if "token" in exc.labels else NotFound(USER_MISSING)) from exc
    except StorageUnavailable as exc:
        raise StorageBusy(UPDATE_FAILED) from exc


def edit(scope: Scope, user_id: str, token_id: str, version: int, given_id: str | None, fields: TokenFields) -> RfidToken:
    user, token = _find(scope, user_id, token_id)
    if given_id is not None and canonical(given_id) != token.token_id:
        raise Invalid(RFID_ID_FIXED)
    if version != token.version:
        raise Conflict(USER_MISSING)
    valid_from = fields.valid_from or token.valid_from
    _check_window(valid_from, fields.valid_to)
    try:
        return store().users.update_token(token, TokenEdit(fields.name, fields.status, valid_from, fields.valid_to))
    except Refused as exc:
        raise Conflict(USER_MISSING) from exc
    except StorageUnavailable as exc:
        raise StorageBusy(UPDATE_FAILED) from exc


def remove(scope: Scope, user_id: str, token_id: str) -> None:
    user, token = _find(scope, user_id, token_id)
    try:
        store().users.delete_token(user, token)
    except Refused as exc:
        raise NotFound(UNKNOWN_RFID if "token" in exc.labels else USER_MISSING) from exc
    except StorageUnavailable as exc:
        raise Unavailable(STORAGE, str(exc)) from exc


def _find(scope: Scope, user_id: str, token_id: str):
    user = find_user(scope, user_id)
    token_id = unquote(token_id)
    token = store().users.token(scope.org_id, canonical(token_id)) if TOKEN_ID.match(token_id) else None
    if token is None or token.user_id != user.user_id:
        raise NotFound(UNKNOWN_RFID)
    return user, token


def _check_window(valid_from: datetime | None, valid_to: datetime | None) -> None:
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        raise Invalid(BAD_VALIDITY)
