"""Read, change, save under the store's condition: a save that lost to a concurrent one reads the newer
record and applies the same change to it, a few times; then it gives up with Conflict, never returning a
record it did not save. A charger's report that cannot be saved is logged (`reported`): its answer has no
way to say so."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from chalicelib.domain.errors import Conflict
from chalicelib.observability import logger
from chalicelib.ports.errors import ConditionFailed

T = TypeVar("T")
ATTEMPTS = 5


def save_changed(
    record: T,
    change: Callable[[T], T | None],
    save: Callable[[T], T],
    reread: Callable[[T], T | None],
    *,
    conflict: str,
    attempts: int = ATTEMPTS,
) -> T:
    """`change` answers the record to save, or None when nothing is to change (the record is returned)."""
    for _ in range(attempts):
        wanted = change(record)
        if wanted is None:
            return record
        try:
            return save(wanted)
        except ConditionFailed:
            newer = reread(record)
            if newer is None:
                break
            record = newer
    raise Conflict(conflict)


def reported(what: str, station_id: str, apply: Callable[[], object]) -> None:
    """Apply a charger's report; one that keeps losing to concurrent saves is logged, not raised."""
    try:
        apply()
    except Conflict as exc:
        logger.warning("station report not saved: concurrent changes", extra={"report": what, "station": station_id, "error": str(exc)})
