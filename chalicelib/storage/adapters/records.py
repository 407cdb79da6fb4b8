"""The records port on DynamoDB: the station-records table (statuses, events, samples, parked stops)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.ports.records import ConnectorStatus
from chalicelib.storage import records
from chalicelib.storage.models import EventItem, station_key


class DynamoRecords:
    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]:
        return [
            ConnectorStatus(int(s.connector_id), s.status, s.error_code, s.info, s.timestamp)
            for s in records.connector_statuses(station_key(org_id, station_id))
        ]

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        records.put_status(station_key(org_id, station_id), message_id, fields, at)

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        pk = station_key(org_id, station_id)
        EventItem(pk, records.event_sk(at, message_id), kind=kind, connector_id=0, status=value, info=value, timestamp=at).save()


def build() -> DynamoRecords:
    return DynamoRecords()
