"""Charging groups: the tree read by materialized path (GSI `by-path`), creation, renaming, deletion."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.storage.errors import condition_failed
from chalicelib.storage.group_moves import Cancelled, bump, guarded, renamed
from chalicelib.storage.models import ChargingGroupItem, OperatorItem
from chalicelib.storage.paging import Page, query_page


class Stale(Exception):
    """The group changed (or vanished) since the version the caller saw."""


def get(org_id: str, group_id: str, consistent: bool = False) -> ChargingGroupItem | None:
    try:
        return ChargingGroupItem.get(org_id, group_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def page(org_id: str, prefix: str, limit: int, cursor: str | None, q: str | None) -> Page:
    """One page of the groups under `prefix` in path order (Query `by-path` begins_with), searched by name."""
    condition = ChargingGroupItem.search.contains(q.lower()) if q else None
    return query_page(
        lambda **kw: ChargingGroupItem.by_path.query(
            org_id, ChargingGroupItem.path.startswith(prefix), filter_condition=condition, **kw
        ),
        limit,
        cursor,
        hash_key=("org_id", org_id),
    )


def subtree(org_id: str, prefix: str) -> list[ChargingGroupItem]:
    """Every group under `prefix` (the prefix's own group first): one Query, paged by PynamoDB."""
    return list(ChargingGroupItem.by_path.query(org_id, ChargingGroupItem.path.startswith(prefix)))


def children(group: ChargingGroupItem) -> list[ChargingGroupItem]:
    """The direct subgroups of a group (one Query of its subtree, filtered on the parent)."""
    condition = ChargingGroupItem.parent_id == group.group_id
    return list(ChargingGroupItem.by_path.query(group.org_id, ChargingGroupItem.path.startswith(group.path), filter_condition=condition))


def has_subgroups(group: ChargingGroupItem) -> bool:
    query = ChargingGroupItem.by_path.query(group.org_id, ChargingGroupItem.path.startswith(group.path), limit=2)
    return any(g.group_id != group.group_id for g in query)


def names(org_id: str, group_ids: set[str]) -> dict[str, str]:
    """Group id -> name in one BatchGetItem (ids of a page of stations: at most 100)."""
    if not group_ids:
        return {}
    keys = [(org_id, group_id) for group_id in sorted(group_ids)]
    return {g.group_id: g.name for g in ChargingGroupItem.batch_get(keys, attributes_to_get=["group_id", "name"])}


def is_base_of_an_operator(org_id: str, group_id: str) -> bool:
    """Does an operator of the organization have this group as base group? (Query `by-org`, filtered.)"""
    query = OperatorItem.by_org.query(org_id, filter_condition=OperatorItem.base_group_id == group_id)
    return next(iter(query), None) is not None


def new(org_id: str, group_id: str, name: str, parent: ChargingGroupItem) -> ChargingGroupItem:
    return ChargingGroupItem(
        org_id, group_id, name=name, parent_id=parent.group_id, path=f"{parent.path}{group_id}/", search=name.lower()
    )


def create(group: ChargingGroupItem, parent: ChargingGroupItem) -> None:
    """Put a new group under a parent still at the version read (raises group_moves.Cancelled/LockHeld)."""

    def fill(tx) -> None:
        bump(tx, parent, "parent")
        tx.save("group", group, condition=ChargingGroupItem.group_id.does_not_exist())

    guarded(group.org_id, fill)


def rename(group: ChargingGroupItem, seen_version: int, name: str) -> None:
    group.version = seen_version
    try:
        group.update(actions=renamed(name))
    except UpdateError as exc:
        if condition_failed(exc):
            raise Stale(group.group_id) from exc
        raise


def delete(group: ChargingGroupItem) -> None:
    """Delete a group still at the version read (anything put into it meanwhile bumped that version)."""
    try:
        guarded(group.org_id, lambda tx: tx.delete("group", group))
    except Cancelled as exc:
        if "group" in exc.failed:
            raise Stale(group.group_id) from exc
        raise
