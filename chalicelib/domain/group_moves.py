"""Moving a charging group: its subtree's paths rewritten at once when they fit, in chunks under a lock otherwise.

See docs/adr/0004-group-moves.md. Every structural write goes through `retrying`, which finishes a
big move left behind by a crashed request (expired lease) or answers that one is in progress.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

from chalicelib import clock
from chalicelib.domain.errors import Conflict
from chalicelib.observability import logger
from chalicelib.storage import group_moves as store
from chalicelib.storage import groups as group_store
from chalicelib.storage import move_journal as journals
from chalicelib.storage import station_admin

MOVE_BUSY = "Charging groups are being reorganized by another operator. Refresh the page and try again in a moment."
LEASE = timedelta(minutes=2)
CHUNK = store.MAX_ITEMS - 1  # one item of each chunk renews the lease
SWEEPS = 5
ATTEMPTS = 4

T = TypeVar("T")


class Again(Exception):
    """An attempt found its items changed meanwhile: read them again and retry."""


def retrying(org_id: str, attempt: Callable[[], T]) -> T:
    """Run a structural write; re-run it when its group changed meanwhile or a dead move held the lock."""
    for _ in range(ATTEMPTS):
        try:
            return attempt()
        except store.LockHeld:
            settle(org_id)
        except (Again, store.Cancelled, station_admin.GroupChanged):
            continue
    raise Conflict(MOVE_BUSY)


def settle(org_id: str) -> None:
    """A big move holds the lock: finish it if its lease expired (its request died), else refuse."""
    journal = journals.read_lock(org_id)
    if journal is None:
        return
    now = clock.now()
    if journal.lease_until > now:
        raise Conflict(MOVE_BUSY)
    mine = replace(journal, owner=uuid.uuid4().hex, lease_until=now + LEASE)
    if not journals.take_over(journal, mine.owner, mine.lease_until):
        raise Conflict(MOVE_BUSY)
    logger.warning("finishing an abandoned group move", extra={"group_id": journal.group_id})
    finish(mine)


def move(group, seen_version: int, name: str, parent) -> None:
    """Put `group` (at the operator's `seen_version`) under `parent`, renamed to `name`."""
    old, new = group.path, f"{parent.path}{group.group_id}/"
    subtree = group_store.subtree(group.org_id, old)
    stations = station_admin.in_subtree(group.org_id, old)
    group.version = seen_version
    if len(subtree) + len(stations) + 2 <= store.MAX_ITEMS:
        store.move_at_once(group, name, parent, new, subtree, stations)
        sweep(group.org_id, old, new, group.group_id, parent.group_id)
        return
    journal = journals.Journal(group.org_id, group.group_id, parent.group_id, old, new, uuid.uuid4().hex, clock.now() + LEASE)
    journals.start(journal, group, name, parent)
    finish(journal)


def finish(journal: journals.Journal) -> None:
    """Rewrite everything still under the old path, chunk by chunk, then release the lock."""
    for _ in range(SWEEPS):
        groups = group_store.subtree(journal.org_id, journal.old_path)
        stations = station_admin.in_subtree(journal.org_id, journal.old_path)
        if not groups and not stations:
            break
        items = [("group", g) for g in groups] + [("station", s) for s in stations]
        for start in range(0, len(items), CHUNK):
            part = items[start : start + CHUNK]
            try:
                journals.chunk(
                    journal,
                    clock.now() + LEASE,
                    [item for kind, item in part if kind == "group"],
                    [item for kind, item in part if kind == "station"],
                )
            except store.LockHeld:
                return  # our lease expired and another request took the move over
            except store.Cancelled:
                _one_by_one(journal, part)
    journals.release(journal)


def sweep(org_id: str, old: str, new: str, group_id: str, parent_id: str) -> None:
    """After a one-transaction move: rewrite what the index had not shown yet (written just before)."""
    journal = journals.Journal(org_id, group_id, parent_id, old, new, "", clock.now())
    items = [("group", g) for g in group_store.subtree(org_id, old)]
    items += [("station", s) for s in station_admin.in_subtree(org_id, old)]
    _one_by_one(journal, items)


def _one_by_one(journal: journals.Journal, items: list) -> None:
    for kind, item in items:
        key = item.group_id if kind == "group" else item.station_id
        journals.rewrite_one(journal.org_id, kind, key, journal.old_path, journal.new_path, journal.group_id, journal.parent_id)
