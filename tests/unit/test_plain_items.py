"""storage.plain_items: a Query answer read by json alone is the answer botocore would have parsed."""

from __future__ import annotations

import boto3
from moto import mock_aws

from chalicelib.storage import plain_items as plain


def _client_with_items(items: list[dict]):
    client = boto3.client("dynamodb", region_name="eu-west-1")
    client.create_table(
        TableName="t", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for item in items:
        client.put_item(TableName="t", Item=item)
    return client


def _pages(client) -> list[dict]:
    args = {"TableName": "t", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}, "Limit": 2}
    pages = []
    while True:
        page = client.query(**args)
        pages.append({k: v for k, v in page.items() if k != "ResponseMetadata"})
        if "LastEvaluatedKey" not in page:
            return pages
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_plain_items_are_what_botocore_parses_and_taken_by_json(monkeypatch):
    items = [{"pk": {"S": "a"}, "sk": {"N": str(n)}, "name": {"S": f"Ä {n} \"q\""}, "wh": {"N": "1.50"}, "e": {"S": ""}}
             for n in range(5)]
    with mock_aws():
        client = _client_with_items(items)
        parsed = _pages(client)
        taken = []
        original = plain._plain
        monkeypatch.setattr(plain, "_plain", lambda item: taken.append(item) or original(item))
        with plain.plain_items(client):
            shortcut = _pages(client)
        outside = _pages(client)

    assert shortcut == parsed == outside
    assert [p["Count"] for p in shortcut] == [2, 2, 1] and shortcut[0]["LastEvaluatedKey"] == {"pk": {"S": "a"}, "sk": {"N": "1"}}
    assert len(taken) == 5  # inside only: the three pages' items went through the shortcut


def test_an_answer_with_other_types_is_left_to_botocore():
    items = [{"pk": {"S": "a"}, "sk": {"N": "1"}, "blob": {"B": b"\x00\xff"}, "tags": {"SS": ["x"]}},
             {"pk": {"S": "a"}, "sk": {"N": "2"}, "name": {"S": "n"}}]
    with mock_aws():
        client = _client_with_items(items)
        parsed = _pages(client)
        with plain.plain_items(client):
            shortcut = _pages(client)

    assert shortcut == parsed
    assert shortcut[0]["Items"][0]["blob"] == {"B": b"\x00\xff"}  # bytes, as botocore decodes base64
