"""The records port: what chargers report (connector status, events, samples) and charging sessions.

A session is changed only by conditional writes described here as values (`Advance`, `SessionClosed`):
the store checks that the session is active and the station's own, so a replay or another station's
frame changes nothing (see docs/adr/0008-energy-rule.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: a frame's import path does not build these classes
    from chalicelib.ports.aggregates import Increment
    from chalicelib.ports.paging import Page
    from chalicelib.ports.stations import Station


@dataclass
class ConnectorStatus:
    """The last StatusNotification of one connector."""

    connector_id: int
    status: str
    error_code: str | None = None
    info: str | None = None
    at: datetime | None = None


@dataclass
class Sample:
    """One MeterValue as received, with what the energy rule read from it (kept with a TTL)."""

    connector_id: int
    transaction_id: int | None
    at: datetime
    energy_wh: float | None
    power_w: float | None
    soc: float | None
    sampled: list[dict]
    implausible: bool
    expires: datetime


@dataclass
class StartKey:
    """The answer given to a StartTransaction, kept under the frame's own key so a retry gets it again."""

    transaction_id: int
    id_tag_status: str


@dataclass
class NewSession:
    transaction_id: int
    org_id: str
    station_id: str
    connector_id: int
    id_tag: str
    user_id: str | None
    id_tag_status: str
    started_at: datetime
    meter_start_wh: float
    max_power_w: float
    energy_base: float
    flags: frozenset[str] = frozenset()


@dataclass
class Session:
    """A charging session as the charging rules need it."""

    transaction_id: int
    org_id: str
    station_id: str
    connector_id: int
    state: str
    started_at: datetime
    meter_start_wh: float
    last_register_wh: float
    last_sample_at: datetime
    max_power_w: float | None = None
    energy_base: float | None = None
    energy_wh: float = 0.0
    flags: frozenset[str] = frozenset()

    def belongs_to(self, org_id: str, station_id: str) -> bool:
        return (self.org_id, self.station_id) == (org_id, station_id)


@dataclass
class Advance:
    """Count `register_wh` at `at` as the session's register, if the energy rule allows it (see `advance`)."""

    transaction_id: int
    at: datetime
    register_wh: float
    power_w: float | None
    soc: float | None
    max_power_w: float
    floor: float
    flags: frozenset[str] = frozenset()


@dataclass
class PointUses:
    """connector id -> "hour|group path" of each point's latest session; `rev` None: never written."""

    uses: dict[str, str] = field(default_factory=dict)
    rev: int | None = None


@dataclass
class StopContext:
    session: Session | None
    station: Station | None
    timezone: str
    uses: PointUses


@dataclass
class SessionClosed:
    """Everything a StopTransaction writes, at once: the session closed and its statistics counted once."""

    transaction_id: int
    stopped_at: datetime
    register_wh: float
    energy_wh: float
    meter_stop_wh: int | None = None
    reason: str | None = None
    id_tag: str | None = None
    flags: frozenset[str] = frozenset()
    rollups: tuple[Increment, ...] = ()
    # The point uses to write, on condition they are still as read (`expected_rev`); None: unchanged.
    uses: dict[str, str] | None = None
    expected_rev: int | None = None


@dataclass
class StationEvent:
    """One entry of a station's event feed."""

    kind: str
    timestamp: datetime
    connector_id: int = 0
    status: str | None = None
    error_code: str | None = None
    info: str | None = None
    vendor_error_code: str | None = None


class Records(Protocol):
    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]: ...

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        """A status event and the connector's current status (idempotent: a replay rewrites the same items)."""

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        """A firmware or diagnostics status in the station's event feed."""

    def event_page(
        self, org_id: str, station_id: str, start: datetime, end: datetime, status: str | None, error_code: str | None,
        limit: int, cursor: str | None, keep: Callable[[StationEvent], bool] | None = None,
    ) -> Page[StationEvent]:
        """Events with start <= timestamp < end, newest first, filtered by status and error code and by `keep`."""

    # --- charging sessions -------------------------------------------------------------------------------
    def next_transaction_id(self) -> int:
        """An atomic counter: every call gets a new id."""

    def find_start(self, org_id: str, station_id: str, connector_id: int, claimed_at: datetime, id_tag: str) -> StartKey | None:
        """The answer already given to this very StartTransaction (same connector, timestamp and idTag)."""

    def create_session(self, session: NewSession, claimed_at: datetime) -> StartKey:
        """Store a new session with its start key; when an identical start won a race, that one's key."""

    def session(self, transaction_id: int) -> Session | None: ...

    def active_session(self, org_id: str, station_id: str, connector_id: int) -> Session | None:
        """The connector's latest session if it is still Active (the station's sessions index: may lag a start)."""

    def advance(self, org_id: str, station_id: str, samples: list[Sample], advance: Advance) -> bool:
        """Store the samples and count the reading, in one transaction, on condition that the session is
        active and this station's, the reading newer and not lower than the last counted one, and
        possible (energy_base >= floor for the session's own power). False: nothing was written."""

    def record_samples(self, org_id: str, station_id: str, samples: list[Sample], transaction_id: int | None,
                       flags: frozenset[str] = frozenset()) -> None:
        """Store raw samples (a replay rewrites the same items) and add flags to the session; raises NotFound
        (after storing the samples) when there are flags and no such session."""

    def stop_context(self, transaction_id: int, org_id: str, station_id: str) -> StopContext:
        """The session, its station, the organization's time zone and the station's point uses: one read."""

    def close(self, org_id: str, station_id: str, closed: SessionClosed) -> bool:
        """Close an active session with its roll-ups and point uses at once; False if it is not active any
        more or the point uses changed since read (nothing written)."""

    def park_stop(self, org_id: str, station_id: str, transaction_id: int, payload: str, at: datetime) -> None:
        """A StopTransaction for a session we do not know, kept once (a retry is not parked twice)."""
