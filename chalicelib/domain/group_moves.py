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
from chalicelib.ports.estate import GroupRecord, MoveInProgress, MoveJournal, Placed, TreeChanged
from chalicelib.ports.registry import store

MOVE_BUSY = "Charging groups are being reorganized by another operator. Refresh the page and try again in a moment."
LEASE = timedelta(minutes=2)
CHUNK: int | None = None  # items per chunk; None: what one atomic write holds, less the lease item
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
        except MoveInProgress:
            settle(org_id)
        except (Again, TreeChanged):
            continue
    raise Conflict(MOVE_BUSY)


def settle(org_id: str) -> None:
    """A big move holds the lock: finish it if its lease expired (its request died), else refuse."""
    estate = store().estate
    journal = estate.read_move(org_id)
    if journal is None:
        return
    now = clock.now()
    if journal.lease_until > now:
        raise Conflict(MOVE_BUSY)
    mine = replace(journal, owner=uuid.uuid4().hex, lease_until=now + LEASE)
    if not estate.take_over_move(journal, mine.owner, mine.lease_until):
        raise Conflict(MOVE_BUSY)
    logger.warning("finishing an abandoned group move", extra={"group_id": journal.group_id})
    finish(mine)


def move(group: GroupRecord, seen_version: int, name: str, parent: GroupRecord) -> None:
    """Put `group` (at the operator's `seen_version`) under `parent`, renamed to `name`."""
    estate = store().estate
    old, new = group.path, f"{parent.path}{group.group_id}/"
    items = estate.placed_under(group.org_id, old)
    if len(items) + 2 <= estate.max_items():
        estate.move_at_once(group, seen_version, name, parent, new, items)
        sweep(group.org_id, old, new, group.group_id, parent.group_id)
        return
    journal = MoveJournal(group.org_id, group.group_id, parent.group_id, old, new, uuid.uuid4().hex, clock.now() + LEASE)
    estate.start_move(journal, group, seen_version, name, parent)
    finish(journal)


def finish(journal: MoveJournal) -> None:
    """Rewrite everything still under the old path, chunk by chunk, then release the lock."""
    estate = store().estate
    size = CHUNK or estate.max_items() - 1  # one item of each chunk renews the lease
    for _ in range(SWEEPS):
        items = estate.placed_under(journal.org_id, journal.old_path)
        if not items:
            break
        for start in range(0, len(items), size):
            part = items[start : start + size]
            try:
                estate.move_chunk(journal, clock.now() + LEASE, part)
            except MoveInProgress:
                return  # our lease expired and another request took the move over
            except TreeChanged:
                _one_by_one(journal, part)
    estate.release_move(journal)


def sweep(org_id: str, old: str, new: str, group_id: str, parent_id: str) -> None:
    """After a one-transaction move: rewrite what the index had not shown yet (written just before)."""
    journal = MoveJournal(org_id, group_id, parent_id, old, new, "", clock.now())
    _one_by_one(journal, store().estate.placed_under(org_id, old))


def _one_by_one(journal: MoveJournal, items: list[Placed]) -> None:
    estate = store().estate
    for item in items:
        estate.rewrite_one(journal, item)
