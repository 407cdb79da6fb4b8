"""The aggregates port: stations' live records and group counters changed in one atomic write (ADR 0003).

The domain reads a station's live record, computes what changes (a `LiveChange`: the new record, the
counter deltas per group and the frame's own write), and the store applies it all or nothing, on
condition that the record is still at the revision read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from chalicelib.ports.errors import ConditionFailed

if TYPE_CHECKING:
    from chalicelib.ports.stations import Station


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


@dataclass
class LiveRecord:
    live: Live
    rev: int


# --- what a frame writes together with the live record -------------------------------------------------
@dataclass
class ConnectionOpened:
    """$connect: the connection is recorded, on condition it is still the station's current one."""

    connection_id: str
    connected_at: datetime
    powers: dict[int, float] = field(default_factory=dict)
    registration: str = "Accepted"  # the station's, as it connected (the frames' registration gate)
    check_at: datetime | None = None  # the first silence check (ADR 0022)


@dataclass
class ConnectionClosed:
    """$disconnect: the station's connection is cleared, on condition it is still this one."""

    connection_id: str
    at: datetime


@dataclass
class StatusReported:
    """StatusNotification: one event in the feed and the connector's current status (see records port)."""

    message_id: str
    fields: dict
    at: datetime


Effect = ConnectionOpened | ConnectionClosed | StatusReported


@dataclass
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


@dataclass
class GroupCounters:
    group_key: str  # a group id, or ORPHANS
    counts: dict[str, int]


ORPHANS = "-"  # group key of stations without a group


@dataclass(frozen=True)
class Scope:
    """Where session roll-ups are kept: one station, a group's subtree, or (neither) the organization's orphans."""

    org_id: str
    group_id: str | None = None
    station_id: str | None = None

    @classmethod
    def station(cls, org_id: str, station_id: str) -> Scope:
        return cls(org_id, station_id=station_id)

    @property
    def is_station(self) -> bool:
        return self.station_id is not None


@dataclass
class Increment:
    """One roll-up item a finished session is ADDed to (see domain.rollups): a scope's day or UTC hour."""

    kind: str  # scope_day | scope_hour | station_day | station_hour
    scope: Scope
    period: str  # a local date YYYY-MM-DD, or a UTC hour YYYY-MM-DDTHH
    sessions: int = 0
    energy_wh: float = 0.0
    used: int = 0
    per_station: dict[str, tuple[int, float]] = field(default_factory=dict)
    expires: datetime | None = None

    @property
    def key(self) -> tuple[str, Scope, str]:
        """Which item it is ADDed to: increments with the same key can be merged."""
        return self.kind, self.scope, self.period

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


@dataclass
class HourTotal:
    sessions: int
    energy_wh: float
    used: int  # points whose latest use is this hour


@dataclass
class DayTotal:
    day: str
    sessions: int
    energy_wh: float
    # A group's own stations (not its subgroups'): station id -> (sessions, Wh). Empty for a station scope.
    per_station: dict[str, tuple[int, float]] = field(default_factory=dict)


@dataclass
class GroupNode:
    group_id: str
    name: str
    path: str


class Aggregates(Protocol):
    def live(self, org_id: str, station_id: str) -> LiveRecord | None:
        """A station's live record (a strongly consistent read)."""

    def station_and_live(self, org_id: str, station_id: str) -> tuple[Station | None, LiveRecord | None]:
        """The station (as `Stations.get` reads it) and its live record (as `live`) in one read: $connect
        needs both, and on DynamoDB this is one BatchGetItem instead of two GetItems."""

    def apply(self, change: LiveChange) -> None:
        """Write the change all or nothing. Raises Contended (a concurrent transaction) or ConditionFailed
        (the record moved from `expected_rev`, or the effect's own condition failed)."""

    def lives(self, org_id: str, station_ids: list[str]) -> dict[str, Live]:
        """The live records of these stations that exist, by station id."""

    def group_counters(self, org_id: str) -> list[GroupCounters]: ...

    def correct_counters(self, org_id: str, group_key: str, seen: dict[str, int], expected: dict[str, int]) -> bool:
        """Set a group's counters to `expected` if they still hold `seen`."""

    # --- session roll-ups and what the dashboard reads ------------------------------------------------
    def hour_totals(self, scope: Scope, first: str, last: str) -> list[HourTotal]:
        """The scope's hourly items from UTC hour `first` to `last` (YYYY-MM-DDTHH): one Query."""

    def day_totals(self, scope: Scope, first: str, last: str) -> list[DayTotal]:
        """The scope's daily items from local date `first` to `last`, oldest first: one Query."""

    def groups_under(self, org_id: str, path: str) -> list[GroupNode]:
        """The group whose path is `path` and all its descendants: one Query."""

    def dashboard_selection(self, username: str) -> list[str] | None:
        """The groups an operator chose for the dashboard; None: never chose (or no such operator)."""

    def save_dashboard_selection(self, username: str, group_ids: list[str]) -> None:
        """Kept without touching the operator's version (a preference must not make an edit form stale)."""
