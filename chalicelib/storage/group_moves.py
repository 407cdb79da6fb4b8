"""Structural writes of the group tree: transactions guarded by the organization's move lock.

A structural write is one whose correctness depends on a group's materialized path (a new group
under a parent, a station put into a group, a move). Each one is a TransactWriteItems whose first
item checks that no multi-transaction move holds the organization's lock (`GroupMoveItem`); a move
too big for one transaction holds that lock while it rewrites the subtree chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Callable

from pynamodb.exceptions import TransactWriteError

from chalicelib.storage.base import transact_write
from chalicelib.storage.models import ChargingGroupItem, GroupMoveItem, StationItem

CONDITION_FAILED = "ConditionalCheckFailed"
MAX_ITEMS = 100  # TransactWriteItems limit


class LockHeld(Exception):
    """A move too big for one transaction is rewriting the organization's tree."""


class Cancelled(Exception):
    """The transaction was cancelled: `failed` are the tags of the items whose condition failed;
    `contention` when another transaction touched the same items at the same moment."""

    def __init__(self, failed: set[str], contention: bool) -> None:
        super().__init__(f"cancelled: failed={sorted(failed)} contention={contention}")
        self.failed = failed
        self.contention = contention


class Tx:
    """A TransactWrite whose items carry tags, to tell which one failed: PynamoDB sends condition
    checks, deletes, puts and updates in that order, whatever the order they were added in."""

    def __init__(self, tx) -> None:
        self._tx = tx
        self._tags: dict[str, list[str]] = {"check": [], "delete": [], "put": [], "update": []}

    def check(self, tag: str, model_cls, hash_key, range_key=None, *, condition) -> None:
        self._tx.condition_check(model_cls, hash_key, range_key, condition=condition)
        self._tags["check"].append(tag)

    def delete(self, tag: str, model, **kwargs) -> None:
        self._tx.delete(model, **kwargs)
        self._tags["delete"].append(tag)

    def save(self, tag: str, model, **kwargs) -> None:
        self._tx.save(model, **kwargs)
        self._tags["put"].append(tag)

    def update(self, tag: str, model, actions: list, **kwargs) -> None:
        self._tx.update(model, actions=actions, **kwargs)
        self._tags["update"].append(tag)

    def sent_order(self) -> list[str]:
        return [tag for kind in ("check", "delete", "put", "update") for tag in self._tags[kind]]


def lock_key(org_id: str) -> str:
    return f"group-move#{org_id}"


def guarded(org_id: str, fill: Callable) -> None:
    """Run `fill(tx)` in one transaction that also checks the organization's move lock is free."""

    def lock_free(tx: Tx) -> None:
        tx.check("lock", GroupMoveItem, lock_key(org_id), condition=GroupMoveItem.name.does_not_exist())

    transact(org_id, lock_free, fill)


def transact(org_id: str, lock_step: Callable, fill: Callable) -> None:
    """One transaction: the lock step (tagged "lock": its failure is LockHeld) and `fill`'s items."""
    tx = None
    try:
        with transact_write() as raw:
            tx = Tx(raw)
            lock_step(tx)
            fill(tx)
    except TransactWriteError as exc:
        codes = [reason.code if reason else None for reason in (exc.cancellation_reasons or [])]
        if not codes or tx is None:
            raise
        failed = {tag for tag, code in zip(tx.sent_order(), codes, strict=False) if code == CONDITION_FAILED}
        if "lock" in failed:
            raise LockHeld(org_id) from exc
        raise Cancelled(failed, "TransactionConflict" in codes) from exc


def bump(tx: Tx, group: ChargingGroupItem, tag: str = "group") -> None:
    """Check that a group is still at the version read, and make it newer (serializes its structure)."""
    tx.update(tag, group, [ChargingGroupItem.name.set(group.name)])


def renamed(name: str) -> list:
    return [ChargingGroupItem.name.set(name), ChargingGroupItem.search.set(name.lower())]


def rebased(path: str, old_prefix: str, new_prefix: str) -> str:
    return new_prefix + path[len(old_prefix) :]


def move_group_actions(group: ChargingGroupItem, old: str, new: str, parent_id: str | None) -> list:
    actions = [ChargingGroupItem.path.set(rebased(group.path, old, new))]
    if parent_id is not None:
        actions.append(ChargingGroupItem.parent_id.set(parent_id))
    return actions


def rewrite_group(tx: Tx, group: ChargingGroupItem, old: str, new: str, moved_id: str, parent_id: str) -> None:
    """A subtree group gets its new path (the moved group also its new parent); its version is bumped."""
    actions = move_group_actions(group, old, new, parent_id if group.group_id == moved_id else None)
    tx.update("item", group, actions, condition=ChargingGroupItem.path == group.path, add_version_condition=False)


def rewrite_station(tx: Tx, station: StationItem, old: str, new: str) -> None:
    """A subtree station gets its new group path; its operator revision is untouched."""
    tx.update(
        "item",
        StationItem(station.org_id, station.station_id),
        [StationItem.group_path.set(rebased(station.group_path, old, new))],
        condition=StationItem.group_path == station.group_path,
        add_version_condition=False,
    )


def move_at_once(group: ChargingGroupItem, name: str, parent: ChargingGroupItem, new_path: str, subtree: list, stations: list) -> None:
    """A move that fits in one transaction: the group (at the operator's version, renamed), its new
    parent bumped, every subgroup and station of the subtree rewritten; all or nothing."""
    old = group.path

    def fill(tx: Tx) -> None:
        tx.update("group", group, [*renamed(name), *move_group_actions(group, old, new_path, parent.group_id)])
        bump(tx, parent, "parent")
        for sub in subtree:
            if sub.group_id != group.group_id:
                rewrite_group(tx, sub, old, new_path, group.group_id, parent.group_id)
        for station in stations:
            rewrite_station(tx, station, old, new_path)

    guarded(group.org_id, fill)
