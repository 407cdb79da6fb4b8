"""Charging users: list, create with tokens, read, edit (names, user group, access rights, activation), delete."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain import tokens as token_rules
from chalicelib.domain.errors import USER_MISSING, Conflict, Invalid, NotFound, Unavailable
from chalicelib.domain.user_scope import Scope, find_user, merge_rights, user_key
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store
from chalicelib.ports.users import ChargingUser, Refused, UserEdit

USER_EXISTS = "Username already exists."
CREATE_FAILED = "Adding a new charging user failed."
UPDATE_FAILED = "Charging user updating failed."
USER_GROUP_MISSING = "Charging user group not found."
EMAIL_FIXED = "The e-mail address of a charging user cannot be changed."


@dataclass(frozen=True)
class UserFields:
    first_name: str
    last_name: str
    user_group_id: str | None
    access_group_ids: list[str]
    access_station_ids: list[str]
    active: bool | None = None  # None: unchanged (admins only may change it)


@dataclass
class UserDetail:
    """A user as the operator may see it: rights outside their domain are left out."""

    user: ChargingUser
    tokens: list
    access_group_ids: list[str]
    access_station_ids: list[str]
    user_group_name: str | None = None


@dataclass
class UserPage:
    page: Page
    group_names: dict[str, str] = field(default_factory=dict)


def listing(scope: Scope, limit: int, cursor: str | None, q: str | None, user_group_id: str | None) -> UserPage:
    page = store().users.users_page(scope.org_id, limit, cursor, q, user_group_id, keep=scope.sees)
    groups = store().users.user_groups_by_id(scope.org_id, {u.user_group_id for u in page.items if u.user_group_id})
    return UserPage(page, {group_id: group.name for group_id, group in groups.items()})


def read(scope: Scope, user_id: str) -> UserDetail:
    user = find_user(scope, user_id)
    return _detail(scope, user, store().users.tokens_of(scope.org_id, user.user_id))


def create(scope: Scope, email: str, fields: UserFields, tokens: list[tuple[str, token_rules.TokenFields]], now: datetime) -> UserDetail:
    scope.require_groups(fields.access_group_ids)
    scope.require_stations(fields.access_station_ids)
    group = _user_group(scope, fields.user_group_id)
    user = ChargingUser(
        scope.org_id,
        user_key(email),
        first_name=fields.first_name,
        last_name=fields.last_name,
        email=email,
        user_group_id=fields.user_group_id,
        access_group_ids=list(fields.access_group_ids),
        access_station_ids=list(fields.access_station_ids),
        home_group_id=scope.operator.base_group_id,
        active=True if fields.active is None else fields.active,
    )
    items = [token_rules.new_token(scope.org_id, user.user_id, token_id, given, now) for token_id, given in tokens]
    if len({t.token_id for t in items}) != len(items):
        raise Conflict(token_rules.DUPLICATE_RFID)
    try:
        user, items = store().users.create_user(user, items, group)
    except Refused as exc:
        if "user" in exc.labels:
            raise Conflict(USER_EXISTS) from exc
        if any(label.startswith("token:") for label in exc.labels):
            raise Conflict(token_rules.DUPLICATE_RFID) from exc
        raise NotFound(USER_GROUP_MISSING) from exc
    except StorageUnavailable as exc:
        raise token_rules.StorageBusy(CREATE_FAILED) from exc
    return UserDetail(user, items, list(fields.access_group_ids), list(fields.access_station_ids), group.name if group else None)


def edit(scope: Scope, user_id: str, version: int, email: str | None, fields: UserFields) -> UserDetail:
    user = find_user(scope, user_id)
    if email is not None and user_key(email) != user.user_id:
        raise Invalid(EMAIL_FIXED)
    if version != user.version:
        raise Conflict(USER_MISSING)
    if fields.active is not None and fields.active != user.active:
        scope.operator.require_admin()
    scope.require_groups(fields.access_group_ids)
    scope.require_stations(fields.access_station_ids)
    counts = []
    if fields.user_group_id != user.user_group_id:
        new = _user_group(scope, fields.user_group_id)
        old = store().users.user_group(scope.org_id, user.user_group_id) if user.user_group_id else None
        counts = [(group, change) for group, change in ((old, -1), (new, 1)) if group is not None]
    group_ids = merge_rights(user.access_group_ids, fields.access_group_ids, scope.visible_groups(user.access_group_ids))
    station_ids = merge_rights(user.access_station_ids, fields.access_station_ids, scope.visible_stations(user.access_station_ids))
    active = user.active if fields.active is None else fields.active
    edit = UserEdit(fields.first_name, fields.last_name, active, group_ids, station_ids, fields.user_group_id or None)
    try:
        user = store().users.update_user(user, edit, counts)
    except Refused as exc:
        raise (Conflict(USER_MISSING) if "user" in exc.labels else NotFound(USER_GROUP_MISSING)) from exc
    except StorageUnavailable as exc:
        raise token_rules.StorageBusy(UPDATE_FAILED) from exc
    return _detail(scope, user, store().users.tokens_of(scope.org_id, user.user_id))


def set_active(org_id: str, user_id: str, active: bool, attempts: int = 3) -> ChargingUser:
    """The system (a scheduled task) allows or forbids a user to charge; an operator's concurrent edit wins
    the race and the change is made again on top of it. NotFound, or Conflict when edits keep racing."""
    for _ in range(attempts):
        user = store().users.user(org_id, user_id) if 0 < len(user_id) <= 254 else None
        if user is None:
            raise NotFound(USER_MISSING)
        if user.active == active:
            return user
        edit = UserEdit(user.first_name, user.last_name, active, user.access_group_ids, user.access_station_ids, user.user_group_id)
        try:
            return store().users.update_user(user, edit, [])
        except Refused:
            continue  # edited meanwhile: read it again
        except StorageUnavailable as exc:
            raise token_rules.StorageBusy(UPDATE_FAILED) from exc
    raise Conflict(UPDATE_FAILED)


def delete(scope: Scope, user_id: str) -> None:
    user = find_user(scope, user_id)
    tokens = store().users.tokens_of(scope.org_id, user.user_id)
    if len(tokens) < (user.token_count or 0):
        raise Conflict(USER_MISSING)  # the token index has not caught up with a token just added: retry
    group = store().users.user_group(scope.org_id, user.user_group_id) if user.user_group_id else None
    try:
        store().users.delete_user(user, tokens, group)
    except Refused as exc:
        raise Conflict(USER_MISSING) from exc
    except StorageUnavailable as exc:
        raise Unavailable(token_rules.STORAGE, str(exc)) from exc


def _user_group(scope: Scope, user_group_id: str | None):
    """The user group a user is put in: it must be one the operator sees."""
    if not user_group_id:
        return None
    group = store().users.user_group(scope.org_id, user_group_id) if len(user_group_id) <= 64 else None
    if not scope.sees(group):
        raise NotFound(USER_GROUP_MISSING)
    return group


def _detail(scope: Scope, user: ChargingUser, tokens: list) -> UserDetail:
    group = store().users.user_group(scope.org_id, user.user_group_id) if user.user_group_id else None
    return UserDetail(
        user,
        tokens,
        scope.visible_groups(user.access_group_ids or []),
        scope.visible_stations(user.access_station_ids or []),
        group.name if group else None,
    )
