"""The firmware port in memory: the same revision condition and sparse index as DynamoDB's."""

from __future__ import annotations

from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.firmware import FirmwareRecords, Record


class MemoryFirmware(FirmwareRecords):
    def __init__(self, state) -> None:
        self._records: dict[tuple[str, str], Record] = state.collection("firmware")

    def _save(self, record: Record) -> None:
        stored = self._records.get((record.org_id, record.sort_key))
        if (stored.rev if stored else 0) != record.rev - 1:
            raise ConditionFailed(f"{record.sort_key} changed meanwhile")
        self._records[(record.org_id, record.sort_key)] = record

    def _get(self, org_id: str, sort_key: str) -> Record | None:
        return self._records.get((org_id, sort_key))

    def _query(self, org_id: str, prefix: str, newest_first: bool = False, limit: int | None = None) -> list[Record]:
        found = sorted((r for (org, sk), r in self._records.items() if org == org_id and sk.startswith(prefix)),
                       key=lambda r: r.sort_key, reverse=newest_first)
        return found[:limit] if limit is not None else found

    def _open(self, open_kind: str, until: str) -> list[Record]:
        found = (r for r in self._records.values() if r.open_kind == open_kind and r.due_at is not None and r.due_at <= until)
        return sorted(found, key=lambda r: r.due_at)


def build(state) -> MemoryFirmware:
    return MemoryFirmware(state)
