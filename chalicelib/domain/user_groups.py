"""Charging user groups: list with member counts, create and edit with members (a user has one group), delete when empty."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from chalicelib.domain.charging_users import USER_GROUP_MISSING
from chalicelib.domain.errors import USER_MISSING, Conflict, Invalid, NotFound, Unavailable
from chalicelib.domain.user_scope import Scope, user_key
from chalicelib.storage import user_writes as writes
from chalicelib.storage import users as store
from chalicelib.storage.models import ChargingUserItem, UserGroupItem
from chalicelib.storage.paging import Page

USER_GROUP_CHANGED = "The charging user group was changed by another operator. Refresh the view and try again."
NOT_EMPTY = "The charging user group has members. Remove them before deleting the group."
MAX_MOVES = 45  # users joining or leaving in one save: one transaction holds at most 100 items
TOO_MANY_MOVES = f"At most {MAX_MOVES} members can join or leave a group in one save."
MEMBERS_SHOWN = 500
STORAGE = 10


@dataclass
class UserGroupDetail:
    group: UserGroupItem
    members: list[ChargingUserItem]  # the ones the operator sees


def listing(scope: Scope, limit: int, cursor: str | None, q: str | None) -> Page:
    return store.list_user_groups(scope.org_id, limit, cursor, q, keep=scope.sees)


def find(scope: Scope, user_group_id: str) -> UserGroupItem:
    group = store.get_user_group(scope.org_id, user_group_id) if 0 < len(user_group_id) <= 64 else None
    if not scope.sees(group):
        raise NotFound(USER_GROUP_MISSING)
    return group


def read(scope: Scope, user_group_id: str) -> UserGroupDetail:
    group = find(scope, user_group_id)
    members = store.members_of(scope.org_id, group.user_group_id, limit=MEMBERS_SHOWN)
    return UserGroupDetail(group, _sorted([m for m in members if scope.sees(m)]))


def create(scope: Scope, name: str, member_ids: list[str], active: bool) -> UserGroupDetail:
    group = UserGroupItem(
        scope.org_id,
        uuid.uuid4().hex[:12],
        name=name,
        active=active,
        home_group_id=scope.operator.base_group_id,
        search=name.lower(),
    )
    plan = _plan(scope, group.user_group_id, member_ids, [])
    group.member_count = plan.change
    _save(group, None, plan)
    return UserGroupDetail(group, _sorted(plan.members))


def edit(scope: Scope, user_group_id: str, version: int, name: str, member_ids: list[str], active: bool) -> UserGroupDetail:
    group = find(scope, user_group_id)
    if version != group.version:
        raise Conflict(USER_GROUP_CHANGED)
    current = [m for m in store.members_of(scope.org_id, group.user_group_id) if scope.sees(m)]
    plan = _plan(scope, group.user_group_id, member_ids, current)
    actions = [
        UserGroupItem.name.set(name),
        UserGroupItem.search.set(name.lower()),
        UserGroupItem.active.set(active),
        UserGroupItem.member_count.add(plan.change),
    ]
    _save(group, actions, plan)
    group.name, group.active, group.member_count = name, active, (group.member_count or 0) + plan.change
    return UserGroupDetail(group, _sorted(plan.members))


def delete(scope: Scope, user_group_id: str) -> None:
    group = find(scope, user_group_id)
    if group.member_count:
        raise Conflict(NOT_EMPTY)
    try:
        writes.delete_user_group(group)
    except writes.ConditionFailed as exc:
        raise Conflict(NOT_EMPTY) from exc
    except writes.TransientFailure as exc:
        raise Unavailable(STORAGE, str(exc)) from exc


@dataclass
class _Plan:
    moves: list  # (user, update actions), each applied as of the user's loaded version
    groups: dict  # the other user groups that lose members
    delta: Counter  # their member count changes
    members: list  # the visible members after the save
    change: int  # this group's member count change


def _plan(scope: Scope, group_id: str, wanted_ids: list[str], current: list[ChargingUserItem]) -> _Plan:
    """The user updates that make the visible members `wanted_ids`; members the operator cannot see stay."""
    wanted = list(dict.fromkeys(user_key(user_id) for user_id in wanted_ids))
    present = {user.user_id for user in current}
    leaving = [user for user in current if user.user_id not in set(wanted)]
    joining_ids = [user_id for user_id in wanted if user_id not in present]
    if len(joining_ids) + len(leaving) > MAX_MOVES:
        raise Invalid(TOO_MANY_MOVES)
    found = store.users_by_id(scope.org_id, [u for u in joining_ids if 0 < len(u) <= 254])
    if any(not scope.sees(found.get(user_id)) for user_id in joining_ids):
        raise NotFound(USER_MISSING)
    stayed = [user for user in current if user.user_id in set(wanted)]
    stayed += [found[u] for u in joining_ids if found[u].user_group_id == group_id]  # index lagging behind
    joining = [found[u] for u in joining_ids if found[u].user_group_id != group_id]
    delta = Counter()
    for user in joining:
        if user.user_group_id:
            delta[user.user_group_id] -= 1
    moves = [(user, [ChargingUserItem.user_group_id.set(group_id)]) for user in joining]
    moves += [(user, [ChargingUserItem.user_group_id.remove()]) for user in leaving]
    groups = store.user_groups_by_id(scope.org_id, list(delta)) if delta else {}
    return _Plan(moves, groups, delta, stayed + joining, len(joining) - len(leaving))


def _save(group: UserGroupItem, actions: list | None, plan: _Plan) -> None:
    try:
        writes.save_user_group(group, actions, plan.moves, plan.groups, plan.delta)
    except writes.ConditionFailed as exc:
        if actions is not None and "user_group" in exc.labels and store.get_user_group(group.org_id, group.user_group_id) is None:
            raise NotFound(USER_GROUP_MISSING) from exc
        raise Conflict(USER_GROUP_CHANGED) from exc
    except writes.TransientFailure as exc:
        raise Unavailable(STORAGE, str(exc)) from exc


def _sorted(users: list[ChargingUserItem]) -> list[ChargingUserItem]:
    return sorted(users, key=lambda u: (u.last_name.lower(), u.first_name.lower(), u.user_id))
