"""The whole local stack: start, serve, snapshot, stop, with nothing left running."""

from __future__ import annotations

import threading
import urllib.request

from websockets.sync.client import connect

from devstack.stack import LocalStack
from tests.devstack import echo_app
from tests.devstack.conftest import seen


def _put_organization() -> None:
    from chalicelib.storage.models import OrganizationItem

    OrganizationItem(org_id="org-snap", name="Snapshot Ltd").save()


def _organization_name() -> str | None:
    from chalicelib.storage.models import OrganizationItem

    try:
        return OrganizationItem.get("org-snap").name
    except OrganizationItem.DoesNotExist:
        return None


def test_stack_serves_keeps_its_data_and_leaves_nothing_running(tmp_path, monkeypatch):
    # Given
    from chalicelib import aws
    from devstack.loopback import Transport

    sent_by_loopback = []
    send = Transport.send
    monkeypatch.setattr(Transport, "send", lambda self, request, **kw: sent_by_loopback.append(1) or send(self, request, **kw))
    before = set(threading.enumerate())
    echo_app.SEEN.clear()
    stack = LocalStack(data_dir=tmp_path, app_module=echo_app, table_prefix="csms-stacktest-", seed=False)

    # When: a first run that serves a charger, a REST call and a tick, and stores an item
    with stack:
        with urllib.request.urlopen(stack.http_url + "/api/v1/health") as answer:
            assert answer.status == 200
        with connect(stack.ws_url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
            ws.send("ping")
            assert ws.recv(timeout=5) == "ping"
        stack.scheduler.fire()
        sent = len(sent_by_loopback)
        _put_organization()
        assert len(sent_by_loopback) == sent + 1  # the app's DynamoDB requests go to moto through devstack.loopback

    # Then: stopped cleanly, the snapshot written, the tables gone from moto
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
    assert aws._session_hooks == []  # stopped: later sessions (tests, another stack) use botocore's HTTP again
    assert (tmp_path / "dynamodb.json").exists()
    assert [e["detail-type"] for e in echo_app.SEEN if "detail-type" in e] == ["Scheduled Event"]
    assert len(seen("CONNECT")) == len(seen("DISCONNECT")) == 1

    # When: a second run on the same data directory
    with LocalStack(data_dir=tmp_path, app_module=echo_app, table_prefix="csms-stacktest-", seed=False):
        # Then
        assert _organization_name() == "Snapshot Ltd"
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []
