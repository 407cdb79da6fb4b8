"""The aggregates port: stations' live records and group counters changed in one atomic write (ADR 0003).

The domain reads a station's live record, computes what changes (a `LiveChange`: the new record, the
counter deltas per group and the frame's own write), and the store applies it all or nothing, on
condition that the record is still at the revision read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from chalicelib.ports.errors import ConditionFailed


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


@dataclass(frozen=True)
class LiveRecord:
    live: Live
    rev: int


# --- what a frame writes together with the live record -------------------------------------------------
@dataclass(frozen=True)
class ConnectionOpened:
    """$connect: the connection is recorded, on condition it is still the station's current one."""

    connection_id: str
    connected_at: datetime
    powers: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectionClosed:
    """$disconnect: the station's connection is cleared, on condition it is still this one."""

    connection_id: str
    at: datetime


@dataclass(frozen=True)
class StatusReported:
    """StatusNotification: one event in the feed and the connector's current status (see records port)."""

    message_id: str
    fields: dict
    at: datetime


Effect = ConnectionOpened | ConnectionClosed | StatusReported


@dataclass(frozen=True)
class LiveChange:
    """Everything one station's change writes, as one atomic unit.

    `expected_rev` None: the record must not exist yet. `new` None with `write`: the record is deleted.
    `write` False: the record stays as it is but must still be at `expected_rev` (a guard).
    """

    org_id: str
    station_id: str
    expected_rev: int | None
    new: Live | None
    write: bool = True
    counters: dict[str | None, dict[str, int]] = field(default_factory=dict)
    effect: Effect | None = None


class Contended(ConditionFailed):
    """A concurrent transaction held the items: nothing failed on its own merits, try again."""


@dataclass(frozen=True)
class GroupCounters:
    group_key: str  # a group id, or ORPHANS
    counts: dict[str, int]


ORPHANS = "-"  # group key of stations without a group


@dataclass
class Increment:
    """One roll-up item a finished session is ADDed to (see domain.rollups)."""

    kind: str  # scope_day | scope_hour | station_day | station_hour
    pk: str
    sk: str
    sessions: int = 0
    energy_wh: float = 0.0
    used: int = 0
    per_station: dict[str, tuple[int, float]] = field(default_factory=dict)
    expires: datetime | None = None

    def merge(self, other: Increment) -> None:
        """Fold another increment of the same item into this one (bulk loading)."""
        self.sessions += other.sessions
        self.energy_wh += other.energy_wh
        self.used += other.used
        for station_id, (sessions, energy) in other.per_station.items():
            was = self.per_station.get(station_id, (0, 0.0))
            self.per_station[station_id] = (was[0] + sessions, was[1] + energy)
        if other.expires is not None and (self.expires is None or other.expires > self.expires):
            self.expires = other.expires


class Aggregates(Protocol):
    def live(self, org_id: str, station_id: str) -> LiveRecord | None:
        """A station's live record (a strongly consistent read)."""

    def apply(self, change: LiveChange) -> None:
        """Write the change all or nothing. Raises Contended (a concurrent transaction) or ConditionFailed
        (the record moved from `expected_rev`, or the effect's own condition failed)."""

    def lives(self, org_id: str, station_ids: list[str]) -> dict[str, Live]:
        """The live records of these stations that exist, by station id."""

    def group_counters(self, org_id: str) -> list[GroupCounters]: ...

    def correct_counters(self, org_id: str, group_key: str, seen: dict[str, int], expected: dict[str, int]) -> bool:
        """Set a group's counters to `expected` if they still hold `seen`."""
