"""The connections port: which socket is a station's, in the order API Gateway's events arrive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass
class Previous:
    """The connection a station had before `take_over` replaced it."""

    connection_id: str
    connected_at: datetime | None


@dataclass
class Connection:
    connection_id: str
    org_id: str
    station_id: str
    connected_at: datetime | None = None
    # Connector id -> configured maximum power in W, as the station was at $connect (the energy rule).
    powers: dict[int, float] = field(default_factory=dict, compare=False)
    registration: str = "Accepted"  # as of $connect or the latest BootNotification answer
    # When the silent-stations job looks at it next (ADR 0022): it cannot be silent for long enough before.
    check_at: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Watched:
    """A connection due for a silence check (what the silent-stations job needs to judge it)."""

    connection_id: str
    org_id: str
    station_id: str
    registration: str
    check_at: datetime


class Connections(Protocol):
    def take_over(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> Previous | None:
        """Make this the station's current connection atomically; the one it replaced.

        Concurrent connects are ordered by the store: each learns exactly the connection it replaced.
        Raises NotFound when the station does not exist (purged meanwhile)."""

    def current(self, org_id: str, station_id: str) -> str | None:
        """The station's current connection id (a strongly consistent read)."""

    def get(self, connection_id: str) -> Connection | None:
        """The connection recorded at $connect (see aggregates.ConnectionOpened)."""

    def delete(self, connection_id: str) -> None: ...

    def set_registration(self, connection_id: str, registration: str) -> None:
        """The registration the connection's frames are judged by; nothing when the connection is gone."""

    def mark_disconnected(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> bool:
        """Clear the station's connection only if it is still this one; False when a newer one replaced it."""

    def due_checks(self, now: datetime, limit: int = 100) -> list[Watched]:
        """Connections of every station whose silence check is due (check time <= `now`), earliest first,
        without a Scan (a sparse index on the check time, ADR 0022)."""

    def check_later(self, connection_id: str, at: datetime) -> None:
        """Move the connection's next silence check to `at`; nothing when the connection is gone."""
