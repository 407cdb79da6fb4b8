"""Test helpers: API Gateway events from the canned files, and a charger driving the Lambda hooks."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from chalicelib.clock import now as _REAL_NOW
from chalicelib.domain.ids import new_id as _REAL_NEW_ID

EVENTS = Path(__file__).parent / "events"
_ids = itertools.count(1)
T = TypeVar("T")


@contextmanager
def moto_tables() -> Iterator[None]:
    """moto for every AWS service; the models rebound to it and every table created (the `aws` fixture)."""
    from moto import mock_aws

    import app
    from chalicelib import aws
    from chalicelib.domain import connections
    from chalicelib.storage.base import rebind
    from chalicelib.storage.tables import create_all_tables
    from devstack.aws import create_buckets
    from devstack.handlers import reset_websocket_client

    with mock_aws():
        rebind()
        reset_websocket_client(app)
        replayed("tables", create_all_tables)
        create_buckets(aws.s3())
        connections._CACHE.clear()
        try:
            yield
        finally:
            connections._CACHE.clear()


# (label, moto's DynamoDB content before the build) -> (deep copy of the tables after it, what it returned)
_SNAPSHOTS: dict[tuple, tuple[dict, Any]] = {}


def replayed(label: str, build: Callable[[], T]) -> T:
    """`build()` on moto's DynamoDB, run for real once per process; later calls put back what it left.

    Creating the tables, seeding the demo and the API tests' operators cost ~200 moto calls (1-4 s) per
    test; a deep copy of moto's tables costs ~15 ms (moto itself deep-copies tables this way in
    TransactWriteItems). The copy is used only from exactly the same starting point (every table and item
    as they were when `build()` ran), with the clock and ids not pinned by the test, and when the build
    called no AWS service other than DynamoDB (a mail sent or an S3 object would not be put back);
    otherwise `build()` runs every time. So a fixture may be replayed; a test's own steps never are.
    """
    from chalicelib import clock
    from chalicelib.domain import ids
    from tests.infrastructure.aws_calls import recorded

    backend = _dynamodb_backend()
    if clock.now is not _REAL_NOW or ids.new_id is not _REAL_NEW_ID:
        return build()
    key = (label, _content(backend))
    if key in _SNAPSHOTS:
        tables, result = _SNAPSHOTS[key]
        backend.tables.clear()
        backend.tables.update(copy.deepcopy(tables))
        return copy.deepcopy(result)
    with recorded("") as actions:  # (IAM action, table) of every AWS call the build made
        result = build()
    if all(action.startswith("dynamodb:") for action, _ in actions):
        _SNAPSHOTS[key] = (copy.deepcopy(backend.tables), copy.deepcopy(result))
    return result


def _dynamodb_backend():
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    from chalicelib.settings import get_settings

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][get_settings().region]


def _content(backend) -> tuple:
    """Every table's name, keys, indexes and items, comparable (a few ms for the demo's ~40 items)."""
    return tuple(
        (
            name,
            json.dumps([table.schema, *[(i.name, i.schema) for i in [*table.indexes, *table.global_indexes]]]),
            tuple(sorted(json.dumps(i.to_json(), sort_keys=True) for i in table.all_items())),
        )
        for name, table in sorted(backend.tables.items())
    )


def table_contents() -> dict[str, list[str]]:
    """Every item of every moto table, in a stable order: a before/after snapshot for tests.

    Read from moto's backend, as `_answer` reads its connections: a Scan per table costs 25 ms."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    tables = dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].tables
    return {name: sorted(json.dumps(i.to_json(), sort_keys=True) for i in t.all_items()) for name, t in tables.items()}


def apigw_event(route: str, connection_id: str, **changes) -> dict:
    event = json.loads((EVENTS / f"apigw_{route}.json").read_text())
    event["requestContext"]["connectionId"] = connection_id
    for key, value in changes.items():
        event[key] = value
    return event


def ocpp_frame(name: str, **replace) -> str:
    text = (EVENTS / "ocpp16" / f"{name}.json").read_text().strip()
    for key, value in replace.items():
        text = text.replace(key, str(value))
    return text


class LambdaCharger:
    """A charger seen from the Lambda side: events go to app.py's handlers, answers come from moto."""

    def __init__(self, station_id: str, org: str | None = None, headers: dict | None = None, source_ip: str | None = None) -> None:
        self.station_id = station_id
        self.org = org
        self.headers = headers or {}
        self.source_ip = source_ip
        self.connection_id = f"conn{next(_ids):06d}"
        self._read = 0

    def connect(self) -> dict:
        import app

        query = {"chargePointId": self.station_id}
        if self.org:
            query["organization"] = self.org
        event = apigw_event("connect", self.connection_id, queryStringParameters=query)
        event["headers"] = {**event["headers"], **self.headers}
        if self.source_ip:
            event["requestContext"]["identity"]["sourceIp"] = self.source_ip
        return app.ws_connect(event, None)

    def send_raw(self, text: str) -> list | None:
        import app

        app.ws_message(apigw_event("message", self.connection_id, body=text), None)
        return self._answer()

    def call(self, action: str, payload: dict) -> list:
        return self.send_raw(json.dumps([2, f"m{next(_ids)}", action, payload]))

    def frame(self, name: str, **replace) -> list:
        return self.send_raw(ocpp_frame(name, **replace))

    def disconnect(self) -> None:
        import app

        app.ws_disconnect(apigw_event("disconnect", self.connection_id), None)

    def _answer(self) -> list | None:
        from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends
        from moto.core import DEFAULT_ACCOUNT_ID

        backend = apigatewaymanagementapi_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"]
        data = backend.connections[self.connection_id].data
        fresh, self._read = data[self._read :], len(data)
        return json.loads(fresh) if fresh else None

