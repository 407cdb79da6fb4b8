"""Charging groups in an operator's domain: list, tree, details, create, rename, move, delete.

Groups outside the operator's base group subtree answer exactly like missing ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain import group_moves
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import ACCESS_DENIED, GROUP_MISSING, Conflict, Denied, Invalid, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.estate import GroupRecord
from chalicelib.ports.registry import store

GROUP_STALE = "The charging group was changed by another operator. Refresh the page and try again."
PARENT_REQUIRED = "Adding a new group failed. Parent group is required."
CYCLE = "A charging group cannot be moved under itself or one of its subgroups."
HAS_SUBGROUPS = "The charging group cannot be deleted: it has subgroups. Move them under some other group first."
HAS_STATIONS = "The charging group cannot be deleted: it contains charging stations. Remove them from the group first."
IS_BASE_GROUP = "The charging group cannot be deleted: it is the base group of an operator."
GROUP_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class Group:
    group_id: str
    name: str
    parent_id: str | None  # None for the operator's base group: its parent is outside the domain
    depth: int  # 0 = the operator's base group
    version: int


@dataclass(frozen=True)
class StationBrief:
    station_id: str
    name: str
    point_count: int


@dataclass(frozen=True)
class GroupDetails(Group):
    parent_name: str | None
    stations: list[StationBrief]
    subgroups: list[Group]


def view(principal: Principal, item: GroupRecord) -> Group:
    own = item.group_id == principal.base_group_id
    depth = item.path.count("/") - principal.base_path.count("/")
    return Group(item.group_id, item.name, None if own else item.parent_id, depth, item.version)


def visible(principal: Principal, group_id: str | None, consistent: bool = False) -> GroupRecord:
    """The group if it is in the operator's domain; NotFound otherwise."""
    found = store().estate.get_group(principal.org_id, group_id, consistent) if group_id and GROUP_ID.match(group_id) else None
    if found is None or not principal.covers(found.path):
        raise NotFound(GROUP_MISSING)
    return found


def page(principal: Principal, limit: int, cursor: str | None, q: str | None) -> tuple[list[Group], str | None]:
    found = store().estate.page_groups(principal.org_id, principal.base_path, limit, cursor, q)
    return [view(principal, g) for g in found.items], found.cursor


def tree(principal: Principal) -> list[Group]:
    """The whole domain in one Query, depth-first with siblings by name (for pickers and the dashboard)."""
    items = store().estate.subtree(principal.org_id, principal.base_path)
    children: dict[str | None, list[GroupRecord]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[Group] = []

    def walk(item: GroupRecord) -> None:
        ordered.append(view(principal, item))
        for child in sorted(children.get(item.group_id, []), key=lambda g: (g.name.lower(), g.group_id)):
            walk(child)

    for root in (i for i in items if i.group_id == principal.base_group_id):
        walk(root)
    return ordered


def details(principal: Principal, group_id: str, consistent: bool = False) -> GroupDetails:
    group = visible(principal, group_id, consistent)
    base = view(principal, group)
    estate = store().estate
    parent = estate.get_group(principal.org_id, base.parent_id) if base.parent_id else None
    stations = [
        StationBrief(s.station_id, s.name, s.point_count)
        for s in sorted(estate.stations_in_group(principal.org_id, group.path), key=lambda s: s.station_id)
    ]
    subgroups = sorted((view(principal, g) for g in estate.children(group)), key=lambda g: g.name.lower())
    return GroupDetails(**base.__dict__, parent_name=parent.name if parent else None, stations=stations, subgroups=subgroups)


def create(principal: Principal, name: str, parent_id: str | None) -> GroupDetails:
    """A new group under `parent_id`, or under the creator's base group (basic operators must name one)."""
    if parent_id is None:
        if not principal.is_admin:
            raise Invalid(PARENT_REQUIRED)
        parent_id = principal.base_group_id

    def attempt():
        parent = visible(principal, parent_id, consistent=True)
        return store().estate.create_group(principal.org_id, new_id(), name, parent)

    group = group_moves.retrying(principal.org_id, attempt)
    return details(principal, group.group_id, consistent=True)


def update(principal: Principal, group_id: str, name: str, parent_id: str | None, version: int) -> GroupDetails:
    """Rename, and move under another parent when `parent_id` names a different one (None keeps it)."""
    group = visible(principal, group_id, consistent=True)
    current_parent = view(principal, group).parent_id
    if parent_id is None or parent_id in (current_parent, group.parent_id):
        _rename(group, version, name)
    else:
        _move(principal, group_id, version, name, parent_id)
    return details(principal, group_id, consistent=True)


def _rename(group: GroupRecord, version: int, name: str) -> None:
    if group.version != version:
        raise Conflict(GROUP_STALE)
    if name == group.name:
        return
    try:
        store().estate.rename_group(group, version, name)
    except ConditionFailed as exc:
        raise Conflict(GROUP_STALE) from exc


def _move(principal: Principal, group_id: str, version: int, name: str, parent_id: str) -> None:
    if group_id == principal.base_group_id:
        raise Denied(ACCESS_DENIED)

    def attempt() -> None:
        group = visible(principal, group_id, consistent=True)
        if group.version != version:
            raise Conflict(GROUP_STALE)
        parent = visible(principal, parent_id, consistent=True)
        if parent.path.startswith(group.path):
            raise Invalid(CYCLE)
        group_moves.move(group, version, name, parent)

    group_moves.retrying(principal.org_id, attempt)


def delete(principal: Principal, group_id: str) -> None:
    """Only an empty group: no subgroups, no stations, and nobody's base group."""

    def attempt() -> None:
        group = visible(principal, group_id, consistent=True)
        estate = store().estate
        if group_id == principal.base_group_id or estate.is_base_of_an_operator(principal.org_id, group_id):
            raise Conflict(IS_BASE_GROUP)
        if estate.has_subgroups(group):
            raise Conflict(HAS_SUBGROUPS)
        if estate.any_station_in_group(principal.org_id, group.path):
            raise Conflict(HAS_STATIONS)
        estate.delete_group(group)  # TreeChanged: something was put into it meanwhile, look again

    group_moves.retrying(principal.org_id, attempt)
