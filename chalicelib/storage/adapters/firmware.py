"""The firmware port on DynamoDB (table firmware): documents with a conditional revision, a sparse index."""

from __future__ import annotations

from chalicelib.ports.errors import NotFound
from chalicelib.ports.firmware import FirmwareRecords, Record
from chalicelib.storage.errors import translated


class DynamoFirmware(FirmwareRecords):
    def _save(self, record: Record) -> None:
        from chalicelib.storage.models import FirmwareItem

        item = FirmwareItem(record.org_id, record.sort_key, body=record.body, rev=record.rev,
                            open_kind=record.open_kind, due_at=record.due_at)
        seen = FirmwareItem.rev == record.rev - 1
        condition = (FirmwareItem.rev.does_not_exist() | seen) if record.rev == 1 else seen
        with translated():  # a failed condition leaves as ConditionFailed: someone saved meanwhile
            item.save(condition=condition)

    def _get(self, org_id: str, sort_key: str) -> Record | None:
        from chalicelib.storage.models import FirmwareItem

        try:
            with translated():
                return _record(FirmwareItem.get(org_id, sort_key, consistent_read=True))
        except NotFound:
            return None

    def _query(self, org_id: str, prefix: str, newest_first: bool = False, limit: int | None = None) -> list[Record]:
        from chalicelib.storage.models import FirmwareItem

        with translated():
            found = FirmwareItem.query(org_id, FirmwareItem.sk.startswith(prefix), scan_index_forward=not newest_first, limit=limit)
            return [_record(i) for i in found]

    def _open(self, open_kind: str, until: str) -> list[Record]:
        from chalicelib.storage.models import FirmwareItem

        with translated():
            return [_record(i) for i in FirmwareItem.open.query(open_kind, FirmwareItem.due_at <= until)]


def _record(item) -> Record:
    return Record(item.pk, item.sk, item.body, int(item.rev), item.open_kind, item.due_at)


def build() -> DynamoFirmware:
    return DynamoFirmware()
