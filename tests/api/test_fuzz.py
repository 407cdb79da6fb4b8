"""Schemathesis over the served OpenAPI document: no input, however odd, gets a 5xx.

Runs against the real local stack over HTTP (moto, Chalice's REST server), as an admin operator.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 12
# Logging out would end the session every other case runs with.
SKIPPED = {("POST", "/api/v1/auth/logout")}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from devstack.stack import LocalStack

    with LocalStack(http_port=0, ws_port=0, data_dir=tmp_path_factory.mktemp("fuzz"), snapshot=False) as running:
        yield running


@pytest.fixture(scope="module")
def admin_token(stack):
    import requests

    password = stack.credentials["acme-admin"]
    reply = requests.post(f"{stack.http_url}/api/v1/auth/login", json={"username": "acme-admin", "password": password}, timeout=10)
    reply.raise_for_status()
    return reply.json()["token"]


@pytest.fixture(scope="module")
def api_schema(stack):
    return schemathesis.openapi.from_url(f"{stack.http_url}/api/v1/openapi.json")


def _operations() -> list[tuple[str, str]]:
    from chalicelib.api import load_routes

    return sorted({(r.method, r.path) for r in load_routes()} - SKIPPED)


@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda v: v)
def test_no_server_errors(api_schema, admin_token, method, path):
    # Given the operation as the served document describes it
    operation = api_schema[path][method]

    # When hypothesis sends it generated requests (valid and invalid ones)
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    def send(case):
        response = case.call(headers={"Authorization": f"Bearer {admin_token}"}, timeout=30)
        # Then nothing is a server error
        assert response.status_code < 500, f"{method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"

    send()
