"""The stuck-sessions port: active sessions found without a Scan, the probe mark on a session, and the
record of every step taken about a silent session (docs/adr/0017-stuck-sessions-and-load-management.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

# States of a stuck record.
PROBING = "Probing"  # TriggerMessage sent, waiting for the session to be heard again
RECOVERED = "Recovered"  # heard again after a probe
SOFT_STOPPED = "SoftStopped"  # closed by us with its last counted register

# Kinds of steps.
PROBED = "probed"
ANSWERED = "answered"  # the charger answered a probe's TriggerMessage (its status in the detail)
NO_ANSWER = "no_answer"  # a probe's TriggerMessage timed out, failed, or found the station offline
HEARD = "heard"
SOFT_STOP = "soft_stopped"
LATE_STOP = "late_stop"  # the charger's own StopTransaction after a soft stop: kept, never counted


@dataclass(frozen=True)
class ActiveSession:
    """What the active-sessions index holds: immutable facts of a session that is still Active."""

    transaction_id: int
    org_id: str
    station_id: str
    connector_id: int
    started_at: datetime


@dataclass(frozen=True)
class Watched:
    """A session as the stuck rule reads it: when it was last heard and when it was probed (None: never)."""

    transaction_id: int
    org_id: str
    station_id: str
    connector_id: int
    state: str
    last_heard_at: datetime
    last_register_wh: float
    probed_at: datetime | None = None


@dataclass(frozen=True)
class Step:
    kind: str
    at: datetime
    detail: dict = field(default_factory=dict)
    operator_id: str | None = None


@dataclass(frozen=True)
class StuckRecord:
    org_id: str
    station_id: str
    transaction_id: int
    connector_id: int
    group_path: str | None
    state: str
    updated_at: datetime
    steps: tuple[Step, ...] = ()


class Stuck(Protocol):
    def active_sessions(self, org_id: str | None = None) -> list[ActiveSession]:
        """Active sessions, oldest first (of one organization, or all): a Query per index shard, never a Scan."""

    def watched(self, transaction_ids: list[int]) -> list[Watched]:
        """These sessions as the stuck rule reads them (BatchGetItem); unknown ids are left out."""

    def mark_probed(self, transaction_id: int, seen: datetime | None, at: datetime | None) -> bool:
        """Set the session's probe time to `at` (None: clear it) if it is still Active and its probe time is
        still `seen` (None: never probed)."""

    def open(self, record: StuckRecord) -> None:
        """Create the record, or reopen one (state, time, group path), keeping its steps; adds `record.steps`."""

    def advance(self, org_id: str, station_id: str, transaction_id: int, state: str | None, step: Step) -> None:
        """Append a step (and set the state, unless None); NotFound when there is no such record."""

    def get(self, org_id: str, station_id: str, transaction_id: int) -> StuckRecord | None: ...

    def of_station(self, org_id: str, station_id: str) -> list[StuckRecord]:
        """A station's stuck records, newest session first."""

    def of_organization(self, org_id: str) -> list[StuckRecord]:
        """Every stuck record of the organization, newest session first (one Query)."""
