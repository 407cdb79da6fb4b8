"""The lock and journal of a group move too big for one transaction, and its chunked rewrite.

The journal (`GroupMoveItem`, one per organization) names the move; its owner renews a lease with
every chunk, so that a request that died leaves a move the next structural write can finish.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.ports.estate import MoveJournal as Journal
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.group_moves import (
    Tx,
    bump,
    lock_key,
    move_group_actions,
    rebased,
    renamed,
    rewrite_group,
    rewrite_station,
    transact,
)
from chalicelib.storage.models import ChargingGroupItem, GroupMoveItem, StationItem


def read_lock(org_id: str) -> Journal | None:
    try:
        item = GroupMoveItem.get(lock_key(org_id), consistent_read=True)
    except DoesNotExist:
        return None
    return Journal(org_id, item.group_id, item.parent_id, item.old_path, item.new_path, item.owner, item.lease_until)


def lock_item(journal: Journal) -> GroupMoveItem:
    return GroupMoveItem(
        lock_key(journal.org_id),
        group_id=journal.group_id,
        parent_id=journal.parent_id,
        old_path=journal.old_path,
        new_path=journal.new_path,
        owner=journal.owner,
        lease_until=journal.lease_until,
    )


def take_over(stale: Journal, owner: str, lease_until: datetime) -> bool:
    """Become the owner of an expired move; False if someone else did first."""
    try:
        GroupMoveItem(lock_key(stale.org_id)).update(
            actions=[GroupMoveItem.owner.set(owner), GroupMoveItem.lease_until.set(lease_until)],
            condition=(GroupMoveItem.owner == stale.owner) & (GroupMoveItem.lease_until == stale.lease_until),
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def renew(tx: Tx, journal: Journal, lease_until: datetime) -> None:
    tx.update(
        "lock",
        GroupMoveItem(lock_key(journal.org_id)),
        [GroupMoveItem.lease_until.set(lease_until)],
        condition=GroupMoveItem.owner == journal.owner,
    )


def release(journal: Journal) -> None:
    try:
        GroupMoveItem(lock_key(journal.org_id)).delete(condition=GroupMoveItem.owner == journal.owner)
    except DeleteError as exc:
        if not condition_failed(exc):
            raise


def start(journal: Journal, group: ChargingGroupItem, name: str, parent: ChargingGroupItem) -> None:
    """Take the lock with the journal; rename the moved group at the operator's version; bump the new parent."""

    def take(tx: Tx) -> None:
        tx.save("lock", lock_item(journal), condition=GroupMoveItem.name.does_not_exist())

    def fill(tx: Tx) -> None:
        tx.update("group", group, renamed(name))
        bump(tx, parent, "parent")

    transact(journal.org_id, take, fill)


def chunk(journal: Journal, lease_until: datetime, groups: list, stations: list) -> None:
    """Rewrite one chunk (at most 99 items) while renewing the lease; Cancelled names failed items."""
    old, new = journal.old_path, journal.new_path

    def fill(tx: Tx) -> None:
        for group in groups:
            rewrite_group(tx, group, old, new, journal.group_id, journal.parent_id)
        for station in stations:
            rewrite_station(tx, station, old, new)

    transact(journal.org_id, lambda tx: renew(tx, journal, lease_until), fill)


def rewrite_one(org_id: str, kind: str, key: str, old: str, new: str, moved_id: str, parent_id: str) -> None:
    """Rewrite one item from a consistent read; nothing to do when it is no longer under `old`."""
    try:
        if kind == "group":
            group = ChargingGroupItem.get(org_id, key, consistent_read=True)
            if group.path.startswith(old):
                actions = move_group_actions(group, old, new, parent_id if group.group_id == moved_id else None)
                group.update(actions=actions, condition=ChargingGroupItem.path == group.path, add_version_condition=False)
            return
        station = StationItem.get(org_id, key, consistent_read=True)
        if station.group_path and station.group_path.startswith(old):
            station.update(
                actions=[StationItem.group_path.set(rebased(station.group_path, old, new))],
                condition=StationItem.group_path == station.group_path,
                add_version_condition=False,
            )
    except DoesNotExist:
        return  # gone
    except UpdateError as exc:
        if not condition_failed(exc):
            raise  # else changed again meanwhile: the next sweep round looks once more
