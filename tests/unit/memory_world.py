"""The demo organization on the in-memory store, and a charger driving app.py's WebSocket handlers on it.

Only the AWS boundary is replaced: @connections (gateway.Sender's one botocore call) records the
frames sent to each connection instead of posting them; everything above it, from app.py's handlers
to the ports, runs as in the Lambda.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib import gateway
from tests.support import LambdaCharger


class RecordingSender(gateway.Sender):
    """@connections for tests: what was posted to each connection, and which were deleted."""

    def __init__(self) -> None:
        super().__init__("memory://connections")
        self.posted: dict[str, list[str]] = {}
        self.deleted: list[str] = []

    def _call(self, operation: str, connection_id: str, **params) -> dict:
        if connection_id in self.deleted:
            raise gateway.ChargerGone(connection_id)
        if operation == "post_to_connection":
            self.posted.setdefault(connection_id, []).append(params["Data"].decode())
        elif operation == "delete_connection":
            self.deleted.append(connection_id)
        return {}


@contextmanager
def memory_demo(monkeypatch) -> Iterator:
    """The in-memory store installed and seeded with the demo; yields (store, sender)."""
    import app  # noqa: F401 (imported first: its import installs the DynamoDB store, which `using` then replaces)
    from chalicelib.domain import connections
    from chalicelib.memstore import memory_store
    from chalicelib.ports.registry import using
    from chalicelib.seed import seed_demo

    sender = RecordingSender()
    monkeypatch.setattr(gateway, "sender", lambda: sender)
    connections._CACHE.clear()
    with using(memory_store()) as store:
        seed_demo()
        try:
            yield store, sender
        finally:
            connections._CACHE.clear()


class MemoryCharger(LambdaCharger):
    """A LambdaCharger whose answers are read from the RecordingSender rather than from moto."""

    sender: RecordingSender

    def __init__(self, sender: RecordingSender, station_id: str, **kwargs) -> None:
        super().__init__(station_id, **kwargs)
        self.sender = sender

    def _answer(self) -> list | None:
        posted = self.sender.posted.get(self.connection_id, [])
        fresh, self._read = posted[self._read :], len(posted)
        return json.loads(fresh[-1]) if fresh else None
