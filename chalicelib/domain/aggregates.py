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
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.observability import logger
from chalicelib.storage import aggregates as store
from chalicelib.storage import records
from chalicelib.storage.writes import Refused, Writes

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


# --- live counters ---------------------------------------------------------------------------------
@dataclass
class Live:
    """A station's live record: what it contributes to its group's counters."""

    group_id: str | None
    point_count: int = 1
    connected: bool = False
    statuses: dict[str, str] = field(default_factory=dict)

    def values(self) -> dict:
        return {"group_id": self.group_id, "point_count": self.point_count, "connected": self.connected,
                "statuses": dict(self.statuses)}


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


def change(
    org_id: str,
    station_id: str,
    mutate: Callable[[Live], Live | None],
    extra: Callable | None = None,
    guard: bool = False,
) -> bool:
    """Apply `mutate` to a station's live record, with its counter deltas and `extra(writes)`, in one transaction.

    Returns False when the record does not change (the caller then writes what it has to on its own),
    unless `guard`: then `extra` is written anyway, on condition that the record is still as read
    (a $connect racing the old connection's $disconnect). A missing record (a station created before
    this code, or by a bulk import) is built from the station and its connectors' statuses.
    """
    for _ in range(MAX_ATTEMPTS):
        item = store.get_station_live(org_id, station_id)
        old = _live(item) if item is not None else None
        base = old if old is not None else _from_station(org_id, station_id)
        if base is None:
            return False  # no such station: nothing to count
        new = mutate(copy.deepcopy(base))
        rev = int(item.rev) if item is not None else None
        writes = Writes()
        if new == old and not (guard and extra is not None):
            return False
        if extra is not None:
            extra(writes)
        if new == old:
            store.check_live(writes, org_id, station_id, rev)
        else:
            store.write_live(writes, org_id, station_id, new.values() if new else None, rev)
        for group_id, changes in deltas(old, new).items():
            store.add_counters(writes, org_id, group_id, changes)
        try:
            writes.commit()
            return True
        except Refused as refused:
            if not refused.conflict and _unchanged(org_id, station_id, item):
                raise  # the caller's own condition failed
    logger.warning("live record kept changing; counters left to the recount", extra={"station_id": station_id})
    return False


def _live(item) -> Live:
    statuses = item.statuses.as_dict() if hasattr(item.statuses, "as_dict") else dict(item.statuses or {})
    return Live(item.group_id, int(item.point_count), bool(item.connected), {k: str(v) for k, v in statuses.items()})


def _from_station(org_id: str, station_id: str) -> Live | None:
    station = store.get_station(org_id, station_id)
    if station is None:
        return None
    statuses = {
        str(s.connector_id): status_code(s.status, s.error_code)
        for s in records.connector_statuses(f"{org_id}#{station_id}")
    }
    return Live(station.group_id, int(station.point_count or 0), bool(station.connected), statuses)


def _unchanged(org_id: str, station_id: str, item) -> bool:
    now = store.get_station_live(org_id, station_id)
    if item is None or now is None:
        return item is None and now is None
    return int(now.rev) == int(item.rev)


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


def recount(org_id: str) -> dict[str, int]:
    """Safety net: build the live records stations lack, and set any group counter that differs from the
    sum of its stations' records (conditionally on the value read, so a concurrent change is never lost).

    Reads every station of the organization (one Query) and their live records (BatchGetItem): an
    administrator's tool, not a request path of the dashboard.
    """
    stations = sorted(station.station_id for station in store.stations_of(org_id))
    lives = {item.pk.split("#", 1)[1] for item in store.station_lives(org_id, stations)}
    created = sum(change(org_id, station_id, lambda live: live) for station_id in stations if station_id not in lives)
    seen = _counter_values(org_id)
    expected: dict[str, Counter] = defaultdict(Counter)
    for item in store.station_lives(org_id, stations):
        live = _live(item)
        expected[live.group_id or store.ORPHANS].update(contribution(live))
    again = _counter_values(org_id)
    corrected = 0
    for key in sorted(set(again) | set(expected)):
        if seen.get(key) != again.get(key):
            continue  # changing right now: the next recount looks again
        have = again.get(key) or dict.fromkeys(COUNTERS, 0)
        want = {name: int(expected[key][name]) for name in COUNTERS}
        if have != want and store.correct_counters(org_id, key, have, want):
            corrected += 1
    return {"stations": len(stations), "created": created, "corrected_groups": corrected}


def _counter_values(org_id: str) -> dict[str, dict[str, int]]:
    return {item.sk: {name: int(getattr(item, name) or 0) for name in COUNTERS} for item in store.group_counters(org_id)}
