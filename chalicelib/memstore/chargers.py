"""The chargers port in memory: records which sockets the domain closed; some can be made Gone."""

from __future__ import annotations

from datetime import datetime

from chalicelib.memstore import MemoryState
from chalicelib.ports.chargers import ChargerGone


class MemoryChargers:
    def __init__(self, state: MemoryState) -> None:
        self.closed: list[str] = state.collection("chargers").setdefault("closed", [])
        self._gone: set[str] = state.collection("chargers").setdefault("gone", set())
        # (connection id, frame) in the order sent: what a test reads to play the charger.
        self.sent: list[tuple[str, str]] = state.collection("chargers").setdefault("sent", [])
        self._active: dict[str, datetime] = state.collection("chargers").setdefault("active", {})

    def active(self, connection_id: str, at: datetime) -> None:
        """The charger was heard on `connection_id` at `at` (what the gateway would tell)."""
        self._active[connection_id] = at

    def last_active(self, connection_id: str) -> datetime | None:
        return None if connection_id in self._gone else self._active.get(connection_id)

    def gone(self, connection_id: str) -> None:
        """Make `connection_id` answer Gone from now on (closed already, or still connecting)."""
        self._gone.add(connection_id)

    def send(self, connection_id: str, text: str) -> None:
        if connection_id in self._gone:
            raise ChargerGone(connection_id)
        self.sent.append((connection_id, text))

    def close(self, connection_id: str) -> None:
        if connection_id in self._gone:
            raise ChargerGone(connection_id)
        self.closed.append(connection_id)
        self._gone.add(connection_id)


def build(state: MemoryState) -> MemoryChargers:
    return MemoryChargers(state)
