"""Test helpers: API Gateway events from the canned files, and a charger driving the Lambda hooks."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EVENTS = Path(__file__).parent / "events"
_ids = itertools.count(1)


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
        create_all_tables()
        create_buckets(aws.s3())
        connections._CACHE.clear()
        try:
            yield
        finally:
            connections._CACHE.clear()


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

