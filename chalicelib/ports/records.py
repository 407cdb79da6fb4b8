"""The records port: per-station records of what chargers report (connector status, events, samples)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ConnectorStatus:
    """The last StatusNotification of one connector."""

    connector_id: int
    status: str
    error_code: str | None = None
    info: str | None = None
    at: datetime | None = None


class Records(Protocol):
    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]: ...

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        """A status event and the connector's current status (idempotent: a replay rewrites the same items)."""

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        """A firmware or diagnostics status in the station's event feed."""
