"""The connections port in memory: the current connection is a field of the station's record."""

from __future__ import annotations

from datetime import datetime

from chalicelib.memstore import tables
from chalicelib.ports.connections import Connection, Previous, Watched
from chalicelib.ports.errors import NotFound


class MemoryConnections:
    def __init__(self, state) -> None:
        self.stations: dict[tuple[str, str], dict] = state.collection(tables.STATIONS)
        self.items: dict[str, Connection] = state.collection("connections.items")

    def take_over(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> Previous | None:
        record = self.stations.get((org_id, station_id))
        if record is None:
            raise NotFound(f"station {station_id}")
        previous = record.get("connection_id")
        answer = Previous(previous, record.get("connected_at")) if previous else None
        record.update(connection_id=connection_id, connected=True, connected_at=now)
        return answer

    def current(self, org_id: str, station_id: str) -> str | None:
        record = self.stations.get((org_id, station_id))
        return record.get("connection_id") if record is not None else None

    def get(self, connection_id: str) -> Connection | None:
        return self.items.get(connection_id)

    def set_registration(self, connection_id: str, registration: str) -> None:
        connection = self.items.get(connection_id)
        if connection is not None:
            connection.registration = registration

    def delete(self, connection_id: str) -> None:
        self.items.pop(connection_id, None)

    def mark_disconnected(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> bool:
        record = self.stations.get((org_id, station_id))
        if record is None or record.get("connection_id") != connection_id:
            return False
        disconnect(record, now)
        return True

    def due_checks(self, now: datetime, limit: int = 100) -> list[Watched]:
        due = sorted((c for c in self.items.values() if c.check_at is not None and c.check_at <= now), key=lambda c: c.check_at)
        return [Watched(c.connection_id, c.org_id, c.station_id, c.registration, c.check_at) for c in due[:limit]]

    def check_later(self, connection_id: str, at: datetime) -> None:
        connection = self.items.get(connection_id)
        if connection is not None:
            connection.check_at = at


def disconnect(record: dict, now: datetime) -> None:
    record.pop("connection_id", None)
    record.update(connected=False, last_seen_at=now)


def build(state) -> MemoryConnections:
    return MemoryConnections(state)
