"""The records port in memory: connector statuses and event feeds per station."""

from __future__ import annotations

from datetime import datetime

from chalicelib.clock import sortable
from chalicelib.ports.records import ConnectorStatus


class MemoryRecords:
    def __init__(self, state) -> None:
        self.statuses: dict[tuple[str, str], dict[int, ConnectorStatus]] = state.collection("records.statuses")
        self.events: dict[tuple[str, str], dict[str, dict]] = state.collection("records.events")

    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]:
        found = self.statuses.get((org_id, station_id), {})
        return [found[c] for c in sorted(found)]

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        put_status(self, org_id, station_id, message_id, fields, at)

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        event = {"kind": kind, "connector_id": 0, "status": value, "info": value, "timestamp": at}
        self.events.setdefault((org_id, station_id), {})[f"{sortable(at)}#{message_id}"] = event


def put_status(records: MemoryRecords, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
    """The event and the connector's current status (also a step of an aggregates change)."""
    key = (org_id, station_id)
    event = {k: v for k, v in fields.items() if v is not None}
    records.events.setdefault(key, {})[f"{sortable(at)}#{message_id}"] = {**event, "kind": "StatusNotification", "timestamp": at}
    connector = int(fields["connector_id"])
    records.statuses.setdefault(key, {})[connector] = ConnectorStatus(
        connector, fields["status"], fields.get("error_code"), fields.get("info"), at
    )


def build(state) -> MemoryRecords:
    return MemoryRecords(state)
