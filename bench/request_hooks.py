"""DynamoDB requests counted from inside the process: botocore event handlers on every client created while hooked.

The handlers are registered where a client is created (botocore.session.Session.create_client, which
PynamoDB's per-connection sessions and boto3 both use), so every request of the app is seen.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RequestCounter:
    """API calls (before-call: one per call, whatever its retries) and HTTP attempts (before-send: retries show).

    Calls are keyed by operation ("Query"), or with a `table_prefix` by operation, table and index
    ("Query commands index due"; "(transaction)" for TransactWriteItems)."""

    def __init__(self, table_prefix: str | None = None) -> None:
        self.table_prefix = table_prefix
        self.reset()

    def reset(self) -> None:
        self.calls: Counter[str] = Counter()
        self.attempts = 0

    def on_call(self, model=None, params=None, **_) -> None:
        self.calls[self._key(model.name, params)] += 1

    def on_send(self, **_) -> None:
        self.attempts += 1

    def _key(self, operation: str, params: dict | None) -> str:
        if self.table_prefix is None:
            return operation
        try:
            body = json.loads((params or {}).get("body") or b"{}")
        except ValueError:
            body = {}
        table = body.get("TableName") or ("(transaction)" if body.get("TransactItems") else "")
        index = f" index {body['IndexName']}" if body.get("IndexName") else ""
        return f"{operation} {table.removeprefix(self.table_prefix)}{index}"


def install(counter) -> Callable[[], None]:
    """Register `counter`'s on_call (before-call), and its on_send (before-send) and on_after (after-call) when
    it has them, on every DynamoDB client created from now on; returns the function that stops it."""
    import botocore.session

    original = botocore.session.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        client = original(self, service_name, *args, **kwargs)
        events = client.meta.events
        events.register("before-call.dynamodb", counter.on_call)
        if hasattr(counter, "on_send"):
            # First, so that moto's before-send stub (which answers and ends the chain) cannot hide it.
            events.register_first("before-send.dynamodb", counter.on_send)
        if hasattr(counter, "on_after"):
            events.register("after-call.dynamodb", counter.on_after)
        return client

    botocore.session.Session.create_client = create_client

    def uninstall() -> None:
        botocore.session.Session.create_client = original

    return uninstall


@contextmanager
def hooked(counter) -> Iterator[None]:
    """`install` for the duration of a with block."""
    uninstall = install(counter)
    try:
        yield
    finally:
        uninstall()
