"""devstack.snapshot.restore files each item as moto's PutItem would: the same snapshot restored through
moto's put_item and through the restore leaves identical tables, which answer Queries identically."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from devstack import fast_dynamodb, snapshot

REGION = "eu-west-1"
S, N = "S", "N"
ITEMS = {
    "ranged": [{"pk": {S: f"p{i % 3}"}, "sk": {S: f"s{i:03d}"}, "g": {S: f"g{i % 2}"}, "n": {N: str(i)},
                "doc": {"M": {"l": {"L": [{N: "1"}, {"SS": ["a", "b"]}]}, "b": {"BOOL": True}}}} for i in range(40)],
    "flat": [{"id": {N: str(i)}, "v": {S: "x" * i}} for i in range(10)],
    "gone": [{"id": {S: "lost"}}],  # a table the snapshot names but the stack no longer has
}
MISFIT = {"pk": {N: "1"}, "sk": {S: "s"}}  # a key of the wrong type: moto's put_item refuses it


def _tables(client) -> None:
    client.create_table(
        TableName="t-ranged", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": S} for n in ("pk", "sk", "g")],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    client.create_table(TableName="t-flat", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": N}])


def _restored(fast: bool) -> list:
    assert fast_dynamodb.install()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name=REGION)
            _tables(client)
            client.query(TableName="t-ranged", IndexName="by-g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {S: "g0"}})  # an index map built before the restore
            names = {"ranged": "t-ranged", "flat": "t-flat"}
            if fast:
                count = snapshot.restore({"tables": ITEMS}, names, REGION)
            else:
                backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
                count = 0
                for suffix in ("ranged", "flat"):
                    for item in ITEMS[suffix]:
                        backend.put_item(names[suffix], item)
                    count += len(ITEMS[suffix])
            refused = _refused(lambda: snapshot.restore({"tables": {"ranged": [MISFIT]}}, names, REGION))
            return [count, refused,
                    sorted(map(str, client.scan(TableName="t-ranged")["Items"])),
                    sorted(map(str, client.scan(TableName="t-flat")["Items"])),
                    client.query(TableName="t-ranged", KeyConditionExpression="pk = :p",
                                 ExpressionAttributeValues={":p": {S: "p1"}})["Items"],
                    client.query(TableName="t-ranged", IndexName="by-g", KeyConditionExpression="g = :g",
                                 ExpressionAttributeValues={":g": {S: "g0"}})["Items"]]
    finally:
        fast_dynamodb.uninstall()


def _refused(call) -> str:
    try:
        call()
    except Exception as error:  # noqa: BLE001 - moto's own refusal, whatever its class
        return type(error).__name__
    return "accepted"


def test_a_restored_snapshot_is_what_moto_s_put_item_stores():
    shipped = _restored(fast=False)
    restored = _restored(fast=True)
    assert restored == shipped
    assert restored[0] == 50 and len(restored[2]) == 40 and len(restored[5]) == 20
    assert restored[1] != "accepted"  # a misfit key still gets moto's error


def test_a_snapshot_file_is_what_json_dump_writes(tmp_path, monkeypatch):
    """Written in chunks of json.dumps (moto waits for a compaction): the same text as one json.dump."""
    monkeypatch.setattr(snapshot, "CHUNK", 7)  # the 40 ranged items span six chunks, the last one short
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        _tables(client)
        tables = {"ranged": "t-ranged", "flat": "t-flat", "empty": "t-empty"}
        client.create_table(TableName="t-empty", BillingMode="PAY_PER_REQUEST",
                            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": S}])
        for suffix in ("ranged", "flat"):
            for item in ITEMS[suffix]:
                client.put_item(TableName=tables[suffix], Item=item)
        assert snapshot.dump(tmp_path, tables, REGION, 3) == 50
        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
        expected = {"version": 2, "journal": 3, "tables": {
            suffix: [item.to_json()["Attributes"] for item in backend.tables[name].all_items()]
            for suffix, name in tables.items()}}
    written = (tmp_path / snapshot.FILE_NAME).read_text()
    assert written == json.dumps(expected)
    assert snapshot.read(tmp_path) == expected
