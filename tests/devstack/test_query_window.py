"""devstack.query_window hands moto only the candidates its Query loop reaches, and moto answers as over all:
heavy items (the 1 MB page limit, also tripped by an item past the range), long partitions read page by
page in both directions, every range operator; each answer is compared with moto as shipped."""

from __future__ import annotations

import random

import boto3
import pytest
from moto import mock_aws

from devstack import fast_dynamodb

S, N = "S", "N"


def _table(client) -> None:
    client.create_table(
        TableName="heavy",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in (("pk", S), ("sk", S), ("g", S), ("at", N))],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["small"]},
        }],
        BillingMode="PAY_PER_REQUEST",
    )


def _condition(rng: random.Random, name: str, value) -> tuple[str, dict]:
    form = rng.choice(["none", "=", "<", "<=", ">", ">=", "between", "begins"])
    if form == "none":
        return "", {}
    if form == "between":
        low, high = sorted([value(), value()], key=lambda v: float(next(iter(v.values()))) if N in v else next(iter(v.values())))
        return f" AND {name} BETWEEN :a AND :b", {":a": low, ":b": high}
    if form == "begins":
        if name != "sk":
            return "", {}
        return f" AND begins_with({name}, :a)", {":a": {S: f"s{rng.randint(0, 9)}"}}
    return f" AND {name} {form} :a", {":a": value()}


def _play(seed: int, patched: bool) -> list:
    rng = random.Random(seed)
    if patched:
        assert fast_dynamodb.install()
    answers: list = []
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _table(client)
            for n in range(70):  # 0.1 to 390 KB each: a 1 MB page holds a few
                heavy = rng.random() < 0.4
                client.put_item(TableName="heavy", Item={
                    "pk": {S: rng.choice(["a", "b"])}, "sk": {S: f"s{rng.randint(0, 99):02d}-{n}"},
                    "g": {S: "g"}, "at": {N: str(rng.randint(0, 40))}, "small": {N: str(n)},
                    "blob": {S: "x" * (rng.randint(150_000, 390_000) if heavy else rng.randint(10, 2000))},
                })
            for _ in range(40):
                index = rng.random() < 0.5
                name, value = ("at", lambda: {N: str(rng.randint(-2, 42))}) if index else (
                    "sk", lambda: {S: f"s{rng.randint(0, 99):02d}"})
                extra, values = _condition(rng, name, value)
                args = {"TableName": "heavy", "KeyConditionExpression": ("g = :h" if index else "pk = :h") + extra,
                        "ExpressionAttributeValues": {":h": {S: "g" if index else rng.choice(["a", "b"])}, **values},
                        "ScanIndexForward": rng.random() < 0.5}
                if index:
                    args["IndexName"] = "by-g"
                if rng.random() < 0.5:
                    args["Limit"] = rng.randint(1, 8)
                pages = []
                while len(pages) < 80:
                    page = client.query(**args)
                    pages.append(([(i["sk"][S], len(i.get("blob", {S: ""})[S])) for i in page["Items"]],
                                  page["Count"], page["ScannedCount"], page.get("LastEvaluatedKey")))
                    if "LastEvaluatedKey" not in page:
                        break
                    args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
                answers.append(pages)
    finally:
        if patched:
            fast_dynamodb.uninstall()
    return answers


@pytest.mark.parametrize("seed", range(3))
def test_heavy_pages_and_every_operator_answer_as_moto_does(seed):
    # Given / When: the same items and Queries against moto as shipped and through the windows
    shipped = _play(seed, patched=False)
    fast_dynamodb.plans.clear()
    patched = _play(seed, patched=True)

    # Then: the same pages, the windows were used, and the 1 MB limit did cut pages
    assert patched == shipped
    assert fast_dynamodb.plans["window"] > 40
    assert any(page[3] is not None and len(page[0]) < 8 and sum(size for _, size in page[0]) > 500_000
               for pages in shipped for page in pages)
