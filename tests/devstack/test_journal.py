"""moto's journal: acknowledged writes replayed after a crash, compaction, a torn last line skipped."""

from __future__ import annotations

import json

import pytest
from moto import mock_aws
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.test import Client

from devstack import moto_app
from devstack.moto_app import MotoApp, _headers

REGION = "eu-west-1"
TABLES = {"things": "jt-things"}


def _call(app: MotoApp, target: str, body: dict) -> tuple[int, dict]:
    answer = Client(app).post("/", data=json.dumps(body), headers=_headers(f"DynamoDB_20120810.{target}", REGION))
    return answer.status_code, json.loads(answer.data or b"{}")


def _control(app: MotoApp, action: str, payload: dict | None = None) -> dict:
    return json.loads(Client(app).post(f"/_devstack/{action}", data=json.dumps(payload or {})).data)


def _started(data_dir) -> tuple[MotoApp, dict]:
    """A fresh moto (as after a restart): the table provisioned, then the data dir opened."""
    app = MotoApp(DomainDispatcherApplication(create_backend_app))
    _call(app, "CreateTable", {
        "TableName": "jt-things", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
    })
    return app, _control(app, "open", {"data_dir": str(data_dir), "tables": TABLES, "region": REGION})


def _ids(app: MotoApp) -> list[str]:
    return sorted(item["id"]["S"] for item in _call(app, "Scan", {"TableName": "jt-things"})[1]["Items"])


def test_writes_survive_a_crash_across_a_compaction_and_a_torn_line(tmp_path, monkeypatch):
    monkeypatch.setattr(moto_app, "COMPACT_ENTRIES", 4)
    with mock_aws():
        # Given: 5 acknowledged puts, a refused one, a counter bumped twice; a compaction after the 4th write
        app, opened = _started(tmp_path)
        assert opened == {"restored": 0, "replayed": 0, "snapshot": False}
        for n in range(5):
            assert _call(app, "PutItem", {"TableName": "jt-things", "Item": {"id": {"S": f"t{n}"}}})[0] == 200
        refused = _call(app, "PutItem", {"TableName": "jt-things", "Item": {"id": {"S": "t0"}},
                                         "ConditionExpression": "attribute_not_exists(id)"})
        assert refused[0] == 400
        for _ in range(2):
            _call(app, "UpdateItem", {"TableName": "jt-things", "Key": {"id": {"S": "counter"}},
                                      "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}})
        # When: the process dies (no clean stop); its last line was being written
        with (tmp_path / "dynamodb.journal.1").open("ab") as journal:
            journal.write(b'{"target":"DynamoDB_20120810.PutItem","body":"{\\"TableName\\": \\"jt-th')
    with mock_aws():
        app, opened = _started(tmp_path)

        # Then: the snapshot holds the first 4 writes, the journal the other 3, the torn line is skipped
        assert opened == {"restored": 4, "replayed": 3, "snapshot": True}
        assert _ids(app) == ["counter", "t0", "t1", "t2", "t3", "t4"]
        counter = _call(app, "GetItem", {"TableName": "jt-things", "Key": {"id": {"S": "counter"}}})[1]
        assert counter["Item"]["n"] == {"N": "2"}  # replayed once each, never twice
        assert sorted(p.name for p in tmp_path.iterdir()) == ["dynamodb.journal.1", "dynamodb.json"]

        # When: a clean stop
        assert _control(app, "close") == {"items": 6}

    # Then: one snapshot, an empty journal of the next generation
    assert json.loads((tmp_path / "dynamodb.json").read_text())["journal"] == 2
    assert (tmp_path / "dynamodb.journal.2").read_bytes() == b""


def test_control_requests_out_of_order_are_refused():
    with mock_aws():
        app = MotoApp(DomainDispatcherApplication(create_backend_app))
        answer = Client(app).post("/_devstack/compact", data="{}")
        assert answer.status_code == 409 and json.loads(answer.data) == {"message": "cannot compact now"}


@pytest.fixture(autouse=True)
def _credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
