"""The calls port in memory: one dict of records per store; the queue and the due list are views of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.memstore.paging import page
from chalicelib.ports.calls import PENDING, QUEUED, Command, DueCall, id_stamp
from chalicelib.ports.errors import AlreadyExists
from chalicelib.ports.paging import Page

_CHANGEABLE = {"state", "response", "error", "deadline_at", "completed_at"}


class MemoryCalls:
    def __init__(self, state) -> None:
        # (org, station) -> command id -> record
        self.items: dict[tuple[str, str], dict[str, Command]] = state.collection("calls.items")

    def add(self, command: Command) -> None:
        station = self.items.setdefault((command.org_id, command.station_id), {})
        if command.command_id in station:
            raise AlreadyExists(f"command {command.command_id}")
        station[command.command_id] = command

    def get(self, org_id: str, station_id: str, command_id: str) -> Command | None:
        return self.items.get((org_id, station_id), {}).get(command_id)

    def change(self, org_id: str, station_id: str, command_id: str, expected: tuple[str, ...], **changes: Any) -> Command | None:
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        current = self.get(org_id, station_id, command_id)
        if current is None or current.state not in expected:
            return None
        changed = replace(current, **changes)
        self.items[(org_id, station_id)][command_id] = changed
        return changed

    def history(self, org_id: str, station_id: str, limit: int, cursor: str | None = None) -> Page[Command]:
        rows = self.items.get((org_id, station_id), {}).items()
        return page(rows, f"{org_id}#{station_id}", limit, cursor, descending=True)

    def pending_since(self, org_id: str, station_id: str, since: datetime) -> list[Command]:
        station, low = self.items.get((org_id, station_id), {}), id_stamp(since)
        return [station[key] for key in sorted(station) if key >= low and station[key].state == PENDING]

    def queued(self, org_id: str, station_id: str) -> list[Command]:
        station = self.items.get((org_id, station_id), {})
        return [station[key] for key in sorted(station) if station[key].state == QUEUED]

    def due(self, now: datetime, limit: int = 100) -> list[DueCall]:
        late = [
            c for station in self.items.values() for c in station.values()
            if c.state == PENDING and c.deadline_at is not None and c.deadline_at < now
        ]
        late.sort(key=lambda c: c.deadline_at)
        return [DueCall(c.org_id, c.station_id, c.command_id, c.action, c.deadline_at) for c in late[:limit]]


def build(state) -> MemoryCalls:
    return MemoryCalls(state)
