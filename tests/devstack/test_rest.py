"""The local REST server under more connections than it serves: 503 at once, never a reset or a hang."""

from __future__ import annotations

import http.client
import json

from devstack import rest
from devstack.stack import PROJECT_DIR
from tests.devstack import echo_app


def test_connections_beyond_the_limit_get_503_and_the_open_ones_keep_working(monkeypatch):
    # Given: a server that serves at most 2 connections at a time, both held open (keep-alive)
    monkeypatch.setattr(rest, "MAX_OPEN_REQUESTS", 2)
    server = rest.RestServer(echo_app.app, rest.chalice_config(echo_app.app, PROJECT_DIR), port=0)
    server.start()
    held = [http.client.HTTPConnection("127.0.0.1", server.port, timeout=5) for _ in range(2)]
    try:
        for client in held:
            client.request("GET", "/api/v1/health")
            assert client.getresponse().read() == b'{"status":"ok"}'

        # When: a third client
        third = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        third.request("GET", "/api/v1/health")
        answer = third.getresponse()

        # Then: refused at once, with a reason; the held ones still answer
        assert answer.status == 503 and answer.getheader("Retry-After") == "1"
        assert json.loads(answer.read()) == {"message": "Service Unavailable"}
        held[0].request("GET", "/api/v1/health")
        assert held[0].getresponse().status == 200
    finally:
        for client in held:
            client.close()
        server.stop()
