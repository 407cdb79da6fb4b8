"""Every REST route with a body under junk bodies: answered 2xx or 4xx, never 5xx ("Error #99").

Through Chalice's LocalGateway in-process (tests/api/client.py) as the demo admin; path parameters
name real demo objects so that bodies which happen to be valid reach the handlers.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.api.client import ApiClient
from tests.fuzz import odd_values as odd
from tests.fuzz.settings import fuzz_settings
from tests.fuzz.strategies import ANY_JSON, timestamps
from tests.support import moto_tables


def _body_routes():
    from chalicelib.api import load_routes

    return sorted((r for r in load_routes() if r.body is not None), key=lambda r: (r.path, r.method))


ROUTES = _body_routes()

_values = (
    st.sampled_from(odd.ODD_NUMBERS + odd.ODD_STRINGS + odd.ODD_SCALARS + odd.ODD_TIMESTAMPS)
    | ANY_JSON
    | timestamps()
    | st.sampled_from(["EVI00000013", "12345678", "scrooge@duckburg.com", "acme-basic", "Accepted", "Blocked", "admin"])
    | st.emails()
)
_raw = st.sampled_from(
    [
        odd.deep(5_000),
        odd.deep(5_000, "{"),
        odd.deep(100_000),
        "1" * 5_000,
        "[" + "1," * 100_000 + "1]",
        '{"name": "' + "x" * 2_000_000 + '"}',
        "\ufeff{}",
        "{'a': 1}",
        "null",
        "",
    ]
) | st.text(max_size=40)


def bodies(model) -> st.SearchStrategy[bytes]:
    """Raw junk, or a JSON object with the model's own field names carrying odd values."""
    fields = list(model.model_fields)
    shaped = st.fixed_dictionaries({}, optional={name: _values for name in fields})
    extra = st.dictionaries(st.sampled_from([*fields, "x", ""]), _values, max_size=4)
    return (st.one_of(shaped, extra, ANY_JSON).map(json.dumps) | _raw).map(lambda t: t.encode())


@pytest.fixture(scope="module")
def admin():
    import app
    from chalicelib.seed import seed_demo
    from chalicelib.storage.models import ChargingGroupItem, UserGroupItem

    with moto_tables():
        credentials = seed_demo()
        client = ApiClient(app.app).login("acme-admin", credentials["acme-admin"])
        groups = list(ChargingGroupItem.query("ACME"))
        task = client.post("/api/v1/scheduled-tasks", {
            "name": "Night limit", "type": "max_current", "key": {"station_id": "EVI00000013"}, "value": {"amperes": 16},
            "schedule": {"kind": "daily", "hour": 1, "minute": 0}, "active": True,
        })
        assert task.status == 201, task
        params = {
            "username": "acme-basic",
            "user_id": "scrooge@duckburg.com",
            "token_id": "12345678",
            "station_id": "EVI00000013",
            "group_id": next(g.group_id for g in groups if g.name == "ACME Pine Mall"),
            "user_group_id": next(iter(UserGroupItem.query("ACME"))).user_group_id,
            "template_id": "no-such-template",  # a 404 is as good an answer to junk as a 400
            "key": "HeartbeatInterval",
            "task_id": task.body["task_id"],  # a real task: junk edits meet its validation, not a 404
        }
        yield client, params


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_junk_bodies_get_a_2xx_or_a_4xx(admin, route):
    client, params = admin
    path = route.path.format(**{name: params[name] for name in route.path_params})

    @fuzz_settings(20)
    @given(body=bodies(route.body))
    def send(body):
        reply = client.request(route.method, path, body)
        assert 200 <= reply.status < 300 or 400 <= reply.status < 500, (reply.status, reply.body, body[:300])
        if reply.status >= 400:
            assert reply.message, reply.body

    send()
