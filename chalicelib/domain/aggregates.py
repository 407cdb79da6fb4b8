"""Aggregates kept as things happen, so that the dashboard and statistics never scan sessions.

Live counters: each station has a live record (group, points, connected, last status per connector)
and each group a counter item holding the sum of its own stations' contributions. Every change to a
live record writes the counter delta in the same transaction, conditioned on the record's revision,
so the counters are exact and a retried message counts once. Management code calls `station_added`,
`station_moved`, `station_removed` and `points_changed`; OCPP handling calls `change`. Session
roll-ups are in `domain.rollups`. See ADR 0003.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.observability import logger
from chalicelib.ports.aggregates import ORPHANS, Contended, Effect, Live, LiveChange, LiveRecord
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.registry import store

__all__ = ["Live", "Recount", "change", "contribution", "deltas", "point_state", "recount", "recounted", "status_code"]

# Display status -> counter attribute. "Unknown": never reported; "Offline": the station is disconnected.
STATUS_FIELDS = {
    "Available": "available",
    "Preparing": "preparing",
    "Charging": "charging",
    "SuspendedEVSE": "suspended_evse",
    "SuspendedEV": "suspended_ev",
    "Finishing": "finishing",
    "Reserved": "reserved",
    "Unavailable": "unavailable",
    "Faulted": "faulted",
    "Unknown": "unknown",
    "Offline": "offline",
}
COUNTERS = ("stations", "points", "issues", *STATUS_FIELDS.values())
ERROR_MARK = "!"
MAX_ATTEMPTS = 4
UNREAD = object()  # change(read=...): the caller has not read the live record


# --- live counters ---------------------------------------------------------------------------------
def status_code(status: str, error_code: str | None) -> str:
    """How a connector's status is kept on the live record: "Charging", or "Charging!" with an error code."""
    return status + (ERROR_MARK if error_code and error_code != "NoError" else "")


def point_state(code: str | None) -> tuple[str, bool]:
    """(display status, has an error) of a kept status code."""
    if not code:
        return "Unknown", False
    status = code.rstrip(ERROR_MARK)
    return (status if status in STATUS_FIELDS else "Unknown"), code.endswith(ERROR_MARK)


def contribution(live: Live | None) -> Counter:
    """What one station adds to its group's counters. Points are 1..point_count; connector 0 is the station."""
    counts: Counter = Counter()
    if live is None:
        return counts
    points = max(0, int(live.point_count))
    counts["stations"] += 1
    counts["points"] += points
    if not live.connected:
        counts["offline"] += points
        return counts
    station_wide = live.statuses.get("0")  # a point that never reported shows its station's status
    for point in range(1, points + 1):
        status, error = point_state(live.statuses.get(str(point)) or station_wide)
        counts[STATUS_FIELDS[status]] += 1
        if error or status == "Faulted":
            counts["issues"] += 1
    return counts


def deltas(old: Live | None, new: Live | None) -> dict[str | None, dict[str, int]]:
    """Counter changes per group when a station's live record goes from `old` to `new`."""
    changes: dict[str | None, Counter] = defaultdict(Counter)
    if old is not None:
        changes[old.group_id].subtract(contribution(old))
    if new is not None:
        changes[new.group_id].update(contribution(new))
    return {group: {k: v for k, v in c.items() if v} for group, c in changes.items() if any(c.values())}


class Refused(Exception):
    """The change's own condition failed (its effect's precondition), not a concurrent change."""


def change(
    org_id: str,
    station_id: str,
    mutate: Callable[[Live], Live | None],
    effect: Effect | None = None,
    guard: bool = False,
    read: LiveRecord | None | object = UNREAD,
) -> bool:
    """Apply `mutate` to a station's live record, with its counter deltas and `effect`, as one atomic change.

    Returns False when the record does not change (the caller then writes what it has to on its own),
    unless `guard`: then `effect` is written anyway, on condition that the record is still as read
    (a $connect racing the old connection's $disconnect). A missing record (a station created before
    this code, or by a bulk import) is built from the station and its connectors' statuses.
    Raises Refused when the effect's own condition failed. `read`: the live record as the caller already
    read it (None: it did not exist) for the first attempt; the revision condition makes a stale one safe.
    """
    aggregates = store().aggregates
    for _ in range(MAX_ATTEMPTS):
        found = aggregates.live(org_id, station_id) if read is UNREAD else read
        read = UNREAD  # a retry reads it again
        old = found.live if found is not None else None
        base = old if old is not None else _from_station(org_id, station_id)
        if base is None:
            return False  # no such station: nothing to count
        new = mutate(copy.deepcopy(base))
        if new == old and not (guard and effect is not None):
            return False
        rev = found.rev if found is not None else None
        described = LiveChange(org_id, station_id, rev, new, new != old, deltas(old, new), effect)
        try:
            aggregates.apply(described)
            return True
        except Contended:
            continue
        except ConditionFailed as failed:
            if _unchanged(org_id, station_id, rev):
                raise Refused(str(failed)) from failed  # the caller's own condition failed
    logger.warning("live record kept changing; counters left to the recount", extra={"station_id": station_id})
    return False


def _from_station(org_id: str, station_id: str) -> Live | None:
    station = store().stations.get(org_id, station_id)
    if station is None:
        return None
    statuses = {
        str(s.connector_id): status_code(s.status, s.error_code)
        for s in store().records.connector_statuses(org_id, station_id)
    }
    return Live(station.group_id, int(station.point_count or 0), bool(station.connected), statuses)


def _unchanged(org_id: str, station_id: str, rev: int | None) -> bool:
    now = store().aggregates.live(org_id, station_id)
    return (now.rev if now is not None else None) == rev


# --- the interface used by station and group management ----------------------------------------------
def station_added(org_id: str, station_id: str, group_id: str | None, now: datetime) -> None:
    """A station was created in a group (or as an orphan): it counts, Offline until it connects."""
    change(org_id, station_id, lambda live: live)


def station_moved(org_id: str, station_id: str, old_group_id: str | None, new_group_id: str | None, now: datetime) -> None:
    """A station changed group (None = orphan): its live counters move with it; its history stays."""
    change(org_id, station_id, lambda live: _with(live, group_id=new_group_id))


def station_removed(org_id: str, station_id: str, group_id: str | None, now: datetime) -> None:
    """A station was purged: it stops counting."""
    change(org_id, station_id, lambda live: None)


def points_changed(org_id: str, station_id: str, group_id: str | None, old_count: int, new_count: int, now: datetime) -> None:
    """The number of charging points of a station changed."""
    change(org_id, station_id, lambda live: _with(live, point_count=int(new_count)))


def _with(live: Live, **values) -> Live:
    for name, value in values.items():
        setattr(live, name, value)
    return live


@dataclass(frozen=True)
class Recount:
    """What a recount found: live records it had to build, and each corrected group's counters as
    (was, now) by counter name (only the counters that differed)."""

    org_id: str
    stations: int
    created: int
    corrected: dict[str, dict[str, tuple[int, int]]]

    def summary(self) -> dict[str, int]:
        return {"stations": self.stations, "created": self.created, "corrected_groups": len(self.corrected)}


def recount(org_id: str) -> dict[str, int]:
    """Safety net: build the live records stations lack, and set any group counter that differs from the
    sum of its stations' records (see `recounted`); how many stations, records built and groups corrected."""
    return recounted(org_id).summary()


def recounted(org_id: str) -> Recount:
    """`recount`, with what it corrected. Conditional on the values read, so a concurrent change is never lost.

    Reads every station of the organization (one Query) and their live records (BatchGetItem): an
    administrator's tool and a slow job (jobs/recount.py), not a request path of the dashboard.
    """
    aggregates = store().aggregates
    stations = sorted(store().stations.station_ids(org_id))
    lives = aggregates.lives(org_id, stations)
    created = sum(change(org_id, station_id, lambda live: live) for station_id in stations if station_id not in lives)
    seen = _counter_values(org_id)
    expected: dict[str, Counter] = defaultdict(Counter)
    for live in aggregates.lives(org_id, stations).values():
        expected[live.group_id or ORPHANS].update(contribution(live))
    again = _counter_values(org_id)
    corrected: dict[str, dict[str, tuple[int, int]]] = {}
    for key in sorted(set(again) | set(expected)):
        if seen.get(key) != again.get(key):
            continue  # changing right now: the next recount looks again
        have = again.get(key) or dict.fromkeys(COUNTERS, 0)
        want = {name: int(expected[key][name]) for name in COUNTERS}
        if have != want and aggregates.correct_counters(org_id, key, have, want):
            corrected[key] = {name: (have[name], want[name]) for name in COUNTERS if have[name] != want[name]}
    return Recount(org_id, len(stations), created, corrected)


def _counter_values(org_id: str) -> dict[str, dict[str, int]]:
    return {
        item.group_key: {name: int(item.counts.get(name) or 0) for name in COUNTERS}
        for item in store().aggregates.group_counters(org_id)
    }
