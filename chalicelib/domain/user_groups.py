"""Charging user groups: list with member counts, create and edit with members (a user has one group), delete when empty."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from chalicelib.domain.charging_users import USER_GROUP_MISSING
from chalicelib.domain.errors import USER_MISSING, Conflict, Invalid, NotFound, Unavailable
from chalicelib.domain.user_scope import Scope, user_key
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store
from chalicelib.ports.users import ChargingUser, Membership, Refused, UserGroup

USER_GROUP_CHANGED = "The charging user group was changed by another operator. Refresh the view and try again."
NOT_EMPTY = "The charging user group has members. Remove them before deleting the group."
MAX_MOVES = 45  # users joining or leaving in one save: one transaction holds at most 100 items
TOO_MANY_MOVES = f"At most {MAX_MOVES} members can join or leave a group in one save."
MEMBERS_SHOWN = 500
STORAGE = 10


@dataclass
class UserGroupDetail:
    group: UserGroup
    members: list[ChargingUser]  # the ones the operator sees


def listing(scope: Scope, limit: int, cursor: str | None, q: str | None) -> Page:
    return store().users.user_groups_page(scope.org_id, limit, cursor, q, keep=scope.sees)


def find(scope: Scope, user_group_id: str) -> UserGroup:
    group = store().users.user_group(scope.org_id, user_group_id) if 0 < len(user_group_id) <= 64 else None
    if not scope.sees(group):
        raise NotFound(USER_GROUP_MISSING)
    return group


def read(scope: Scope, user_group_id: str) -> UserGroupDetail:
    group = find(scope, user_group_id)
    members = store().users.members_of(scope.org_id, group.user_group_id, limit=MEMBERS_SHOWN)
    return UserGroupDetail(group, _sorted([m for m in members if scope.sees(m)]))


def create(scope: Scope, name: str, member_ids: list[str], active: bool) -> UserGroupDetail:
    group = UserGroup(scope.org_id, uuid.uuid4().hex[:12], name=name, active=active, home_group_id=scope.operator.base_group_id)
    plan = _plan(scope, group.user_group_id, member_ids, [])
    saved = _save(group, lambda: store().users.create_user_group(group, plan.membership))
    return UserGroupDetail(saved, _sorted(plan.members))


def edit(scope: Scope, user_group_id: str, version: int, name: str, member_ids: list[str], active: bool) -> UserGroupDetail:
    group = find(scope, user_group_id)
    if version != group.version:
        raise Conflict(USER_GROUP_CHANGED)
    current = [m for m in store().users.members_of(scope.org_id, group.user_group_id) if scope.sees(m)]
    plan = _plan(scope, group.user_group_id, member_ids, current)
    saved = _save(group, lambda: store().users.update_user_group(group, name, active, plan.membership), edit=True)
    return UserGroupDetail(saved, _sorted(plan.members))


def set_active(org_id: str, user_group_id: str, active: bool, attempts: int = 3) -> UserGroup:
    """The system (a scheduled task) allows or forbids a group's members to charge; retried on top of an
    operator's concurrent edit. NotFound, or Conflict when edits keep racing."""
    for _ in range(attempts):
        group = store().users.user_group(org_id, user_group_id) if 0 < len(user_group_id) <= 64 else None
        if group is None:
            raise NotFound(USER_GROUP_MISSING)
        if group.active == active:
            return group
        try:
            return store().users.update_user_group(group, group.name, active, Membership())
        except Refused:
            continue
        except StorageUnavailable as exc:
            raise Unavailable(STORAGE, str(exc)) from exc
    raise Conflict(USER_GROUP_CHANGED)


def delete(scope: Scope, user_group_id: str) -> None:
    group = find(scope, user_group_id)
    if group.member_count:
        raise Conflict(NOT_EMPTY)
    try:
        store().users.delete_user_group(group)
    except Refused as exc:
        raise Conflict(NOT_EMPTY) from exc
    except StorageUnavailable as exc:
        raise Unavailable(STORAGE, str(exc)) from exc


@dataclass
class _Plan:
    membership: Membership  # users joining and leaving (each as loaded), other groups' count changes
    members: list  # the visible members after the save


def _plan(scope: Scope, group_id: str, wanted_ids: list[str], current: list[ChargingUser]) -> _Plan:
    """The user updates that make the visible members `wanted_ids`; members the operator cannot see stay."""
    wanted = list(dict.fromkeys(user_key(user_id) for user_id in wanted_ids))
    present = {user.user_id for user in current}
    leaving = [user for user in current if user.user_id not in set(wanted)]
    joining_ids = [user_id for user_id in wanted if user_id not in present]
    if len(joining_ids) + len(leaving) > MAX_MOVES:
        raise Invalid(TOO_MANY_MOVES)
    found = store().users.users_by_id(scope.org_id, [u for u in joining_ids if 0 < len(u) <= 254])
    if any(not scope.sees(found.get(user_id)) for user_id in joining_ids):
        raise NotFound(USER_MISSING)
    stayed = [user for user in current if user.user_id in set(wanted)]
    stayed += [found[u] for u in joining_ids if found[u].user_group_id == group_id]  # index lagging behind
    joining = [found[u] for u in joining_ids if found[u].user_group_id != group_id]
    delta = Counter()
    for user in joining:
        if user.user_group_id:
            delta[user.user_group_id] -= 1
    groups = store().users.user_groups_by_id(scope.org_id, list(delta)) if delta else {}
    others = [(groups[group_id], change) for group_id, change in delta.items() if group_id in groups]
    return _Plan(Membership(joining, leaving, others), stayed + joining)


def _save(group: UserGroup, write, edit: bool = False) -> UserGroup:
    """Run the write; a lost precondition is the manual's text (a vanished group on edit: not found)."""
    try:
        return write()
    except Refused as exc:
        if edit and "user_group" in exc.labels and store().users.user_group(group.org_id, group.user_group_id) is None:
            raise NotFound(USER_GROUP_MISSING) from exc
        raise Conflict(USER_GROUP_CHANGED) from exc
    except StorageUnavailable as exc:
        raise Unavailable(STORAGE, str(exc)) from exc


def _sorted(users: list[ChargingUser]) -> list[ChargingUser]:
    return sorted(users, key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.user_id))
