"""The connections port on DynamoDB: the station's current connection id and the connection items."""

from __future__ import annotations

from datetime import datetime

from chalicelib import clock
from chalicelib.ports.connections import Connection, Previous, Watched
from chalicelib.ports.errors import NotFound
from chalicelib.storage import stations


class DynamoConnections:
    def take_over(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> Previous | None:
        try:
            previous = stations.take_over(org_id, station_id, connection_id, now)
        except stations.StationGone as exc:
            raise NotFound(f"station {station_id}") from exc
        return Previous(previous.connection_id, previous.connected_at) if previous is not None else None

    def current(self, org_id: str, station_id: str) -> str | None:
        return stations.current_connection(org_id, station_id)

    def get(self, connection_id: str) -> Connection | None:
        item = stations.get_connection(connection_id)
        if item is None:
            return None
        powers = item.powers.as_dict() if item.powers is not None else {}
        return Connection(
            connection_id, item.org_id, item.station_id, item.connected_at,
            {int(k): float(v) for k, v in powers.items()},
            item.registration or "Accepted",
            _moment(item.check_at),
        )

    def set_registration(self, connection_id: str, registration: str) -> None:
        stations.set_connection_registration(connection_id, None if registration == "Accepted" else registration)

    def delete(self, connection_id: str) -> None:
        stations.delete_connection(connection_id)

    def mark_disconnected(self, org_id: str, station_id: str, connection_id: str, now: datetime) -> bool:
        return stations.mark_disconnected(org_id, station_id, connection_id, now)

    def due_checks(self, now: datetime, limit: int = 100) -> list[Watched]:
        return [
            Watched(item.connection_id, item.org_id, item.station_id, item.registration or "Accepted", _moment(item.check_at))
            for item in stations.due_checks(now, limit)
        ]

    def check_later(self, connection_id: str, at: datetime) -> None:
        stations.check_later(connection_id, at)


def _moment(text: str | None) -> datetime | None:
    return clock.parse(text) if text else None


def build() -> DynamoConnections:
    return DynamoConnections()
