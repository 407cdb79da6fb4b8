"""The station settings port: what operators set on a station beyond its name and group, and its power.

EVSE metadata (its code unique in the organization), the registration status, the maintenance flag,
the station's password with the one it replaces, and its newest
sessions (their latest power readings, which MeterValues already keeps on each session).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.ports.errors import ConditionFailed

NO_PASSWORD = ""  # as `previous`: the station connected without a password before this one


class CodeTaken(ConditionFailed):
    """Another station of the organization holds this EVSE code."""


@dataclass(frozen=True)
class SessionPower:
    """A recent session of a station: its connector, state and the power of its latest counted reading."""

    connector_id: int
    state: str
    power_w: float | None
    started_at: datetime


@dataclass(frozen=True)
class DeferredLimit:
    """A station-wide current limit a scheduled task set while the station was offline (applied at its next boot)."""

    amperes: float
    since: datetime
    task_id: str | None = None  # the scheduled task whose run waits for it (its run follows the command)


@dataclass(frozen=True)
class Deferral:
    """A limit to remember for a station's next boot (as `defer_max_current`), and the limit the caller read
    there before (`seen`, None for none): the write is conditioned on it, so what it replaced is known."""

    org_id: str
    station_id: str
    amperes: float
    since: datetime
    task_id: str | None
    seen: DeferredLimit | None


@dataclass(frozen=True)
class Metadata:
    evse_code: str | None = None
    evse_name: str | None = None
    emi3_id: str | None = None
    roaming: bool = False


class StationSettings(Protocol):
    def set_metadata(self, org_id: str, station_id: str, revision: int, old_code: str | None, metadata: Metadata) -> None:
        """One atomic write: the station (still at `revision`, which is bumped) takes the metadata, its
        new EVSE code is claimed in the organization and `old_code`'s claim released.
        CodeTaken when another station holds the code; ConditionFailed when stale or gone."""

    def evse_code_holder(self, org_id: str, code: str) -> str | None:
        """The station holding an EVSE code (compared without case)."""

    def release_evse_code(self, org_id: str, station_id: str, code: str) -> None:
        """Give a code up, only if this station holds it (a purge)."""

    def set_registration(self, org_id: str, station_id: str, registration: str) -> None:
        """NotFound when the station is gone."""

    def set_maintenance(self, org_id: str, station_id: str, disabled: bool) -> None:
        """NotFound when the station is gone."""

    def set_password(self, org_id: str, station_id: str, password_hash: str, previous: str | None) -> None:
        """The new password; `previous` (a hash, NO_PASSWORD, or None) stays accepted until it is adopted."""

    def password_adopted(self, org_id: str, station_id: str, password_hash: str) -> None:
        """The station logged in with `password_hash`: the previous one is no longer accepted."""

    def latest_sessions(self, org_id: str, station_id: str, limit: int) -> list[SessionPower]:
        """The station's newest sessions first, at most `limit` (one Query; no Scan)."""

    def defer_max_current(self, org_id: str, station_id: str, amperes: float, since: datetime,
                          task_id: str | None = None) -> DeferredLimit | None:
        """Remember the limit to apply when the station is back; it replaces any limit remembered before,
        which is answered (from the same write), else None."""

    def deferred_limits(self, org_id: str, station_ids: list[str]) -> dict[str, DeferredLimit]:
        """station id -> its remembered limit, of those that have one (read strongly consistent, many per request)."""

    def take_max_current(self, org_id: str, station_id: str) -> DeferredLimit | None:
        """The remembered limit, forgotten in the same atomic write: of concurrent takers one gets it."""
