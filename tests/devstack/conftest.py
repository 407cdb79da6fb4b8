"""The local gateway in front of the echo app, on a free port."""

from __future__ import annotations

import pytest

from devstack.gateway import Gateway
from devstack.handlers import reset_websocket_client, websocket_handlers
from tests.devstack import echo_app


@pytest.fixture
def gateway_factory(monkeypatch):
    started: list[Gateway] = []

    def start(**options) -> Gateway:
        gateway = Gateway(websocket_handlers(echo_app), port=0, **options)
        monkeypatch.setenv("CSMS_WS_MANAGEMENT_ENDPOINT", gateway.management_endpoint)
        reset_websocket_client(echo_app)
        echo_app.SEEN.clear()
        echo_app.DISCONNECTED.clear()
        gateway.start()
        started.append(gateway)
        return gateway

    yield start
    for gateway in started:
        gateway.stop()


@pytest.fixture
def gateway(gateway_factory):
    return gateway_factory()


def seen(event_type: str) -> list[dict]:
    return [e for e in echo_app.SEEN if e.get("requestContext", {}).get("eventType") == event_type]
