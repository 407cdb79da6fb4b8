"""The calls port: the record of every call the CSMS sends a charger (a remote command), from queued to answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.clock import UTC
from chalicelib.ports.paging import Page

QUEUED = "Queued"  # waits for the station's next BootNotification
PENDING = "Pending"  # sent, no answer yet
ANSWERED = "Answered"  # CALLRESULT received and valid; `response` holds it
FAILED = "Failed"  # CALLERROR, invalid answer or send failed; `error` says which
TIMED_OUT = "TimedOut"  # no answer before `deadline_at`
OFFLINE = "Offline"  # the station was not connected, nothing was queued
STATES = (QUEUED, PENDING, ANSWERED, FAILED, TIMED_OUT, OFFLINE)
OPEN_STATES = (QUEUED, PENDING)


def id_stamp(moment: datetime) -> str:
    """The creation-time part that begins a command id (ids sort by creation time)."""
    return f"{moment.astimezone(UTC):%Y%m%d%H%M%S%f}"


@dataclass(frozen=True)
class Command:
    """One call to a charger; `command_id` is also the OCPP message id of the CALL."""

    org_id: str
    station_id: str
    command_id: str
    action: str
    payload: dict[str, Any]
    state: str
    created_at: datetime
    deadline_at: datetime | None = None
    response: dict[str, Any] | None = None
    error: str | None = None
    operator_id: str | None = None
    completed_at: datetime | None = None
    # Seconds the charger has to answer once the call is sent (a queued call is sent later).
    timeout_s: int = 60


@dataclass(frozen=True)
class DueCall:
    """A Pending call whose deadline has passed (what the time-out job needs to close it)."""

    org_id: str
    station_id: str
    command_id: str
    action: str
    deadline_at: datetime


class Calls(Protocol):
    def add(self, command: Command) -> None:
        """Record a new call; AlreadyExists when its id is taken. A Queued one joins the station's queue."""

    def get(self, org_id: str, station_id: str, command_id: str) -> Command | None:
        """The record, read strongly consistent (its answer may have been written by another container)."""

    def change(self, org_id: str, station_id: str, command_id: str, expected: tuple[str, ...], **changes: Any) -> Command | None:
        """Atomically apply `changes` (state, response, error, deadline_at, completed_at) if the record's
        state is one of `expected`; the record as it is now, or None when missing or in another state.

        Leaving Queued takes the call off the station's queue; only a Pending call is found by `due`."""

    def history(self, org_id: str, station_id: str, limit: int, cursor: str | None = None) -> Page[Command]:
        """The station's calls, newest first."""

    def pending_since(self, org_id: str, station_id: str, since: datetime) -> list[Command]:
        """The station's Pending calls created at `since` or later, oldest first: one strongly consistent Query
        over the calls of that period (a Pending call created earlier, a queued one sent later, is not seen)."""

    def queued(self, org_id: str, station_id: str) -> list[Command]:
        """The station's Queued calls, oldest first."""

    def due(self, now: datetime, limit: int = 100) -> list[DueCall]:
        """Pending calls of every station whose deadline is before `now`, earliest first, without a Scan."""
