"""DynamoDB requests answered by moto's handler directly (devstack/moto_dynamodb.py) get byte for byte the answer
moto's WSGI app gives: the same requests, as botocore sends them, go to two moto processes, one with the direct
path and one without (CSMS_MOTO_DYNAMODB_DIRECT=0); status line, every header in its order and the body must be
equal. Only what differs between two runs of moto is set aside: the random request id (checked for its form)
and table creation times (the CRC32 of such a body is checked against the body on each side instead)."""

from __future__ import annotations

import base64
import http.client
import json
import re
import zlib

import pytest

from devstack import moto_dynamodb
from devstack.aws import AwsProcess, control
from devstack.moto_app import MotoApp

AUTH = ("AWS4-HMAC-SHA256 Credential=testing/20261126/eu-west-1/dynamodb/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)
TABLE, OTHER = "sessions", "stations"
S, N = "S", "N"


def _key(pk: str, sk: str) -> dict:
    return {"pk": {S: pk}, "sk": {S: sk}}


def _item(pk: str, sk: str, n: int, group: str = "g1") -> dict:
    return {**_key(pk, sk), "gk": {S: group}, "n": {N: str(n)}, "name": {S: f"item {pk}/{sk}"},
            "tags": {"SS": ["a", "b"]}, "blob": {"B": base64.b64encode(b"\x00\xff").decode()},
            "doc": {"M": {"l": {"L": [{N: "1.50"}, {"BOOL": True}, {"NULL": True}]}}}}


def _update(pk: str, sk: str, condition: str, **extra) -> dict:
    return {"TableName": TABLE, "Key": _key(pk, sk), "UpdateExpression": "SET #n = :v ADD n :one",
            "ConditionExpression": condition, "ExpressionAttributeNames": {"#n": "name"},
            "ExpressionAttributeValues": {":v": {S: "renamed"}, ":one": {N: "1"}}, **extra}


SCHEMA = {
    "BillingMode": "PAY_PER_REQUEST",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    "AttributeDefinitions": [{"AttributeName": n, "AttributeType": S} for n in ("pk", "sk", "gk")],
    "GlobalSecondaryIndexes": [{"IndexName": "by-gk", "Projection": {"ProjectionType": "ALL"},
                                "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}]}],
}

# (action, body, extra headers): every DynamoDB action the app sends, their errors, and requests the direct
# path leaves to the WSGI app (an Origin header, a form content type), which must not change either.
SEQUENCE: list[tuple[str, object, dict]] = [
    ("CreateTable", {"TableName": TABLE, **SCHEMA}, {}),
    ("CreateTable", {"TableName": OTHER, "BillingMode": "PAY_PER_REQUEST",
                     "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                     "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": S}]}, {}),
    ("CreateTable", {"TableName": TABLE, **SCHEMA}, {}),  # ResourceInUseException
    ("DescribeTable", {"TableName": TABLE}, {}),
    ("DescribeTable", {"TableName": "missing"}, {}),
    ("ListTables", {}, {}),
    *[("PutItem", {"TableName": TABLE, "Item": _item(f"p{i % 3}", f"s{i:02d}", i, f"g{i % 2}")}, {}) for i in range(12)],
    ("PutItem", {"TableName": OTHER, "Item": {"id": {S: "EVI1"}, "v": {N: "1"}}}, {}),
    ("PutItem", {"TableName": TABLE, "Item": _item("p0", "s00", 99), "ConditionExpression": "attribute_not_exists(pk)",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, {}),
    ("PutItem", {"TableName": TABLE, "Item": _item("p0", "s00", 98), "ReturnValues": "ALL_OLD",
                 "ReturnConsumedCapacity": "TOTAL"}, {}),
    ("PutItem", {"TableName": TABLE, "Item": {"pk": {S: ""}, "sk": {S: "x"}}}, {}),  # ValidationException
    ("GetItem", {"TableName": TABLE, "Key": _key("p1", "s01")}, {}),
    ("GetItem", {"TableName": TABLE, "Key": _key("p1", "nothing")}, {}),
    ("GetItem", {"TableName": TABLE, "Key": _key("p1", "s01"), "ProjectionExpression": "#n, doc.l[0]",
                 "ExpressionAttributeNames": {"#n": "name"}, "ConsistentRead": True}, {}),
    ("GetItem", {"TableName": "missing", "Key": _key("p1", "s01")}, {}),  # ResourceNotFoundException
    ("GetItem", {"TableName": TABLE, "Key": {"pk": {S: "p1"}}}, {}),  # ValidationException: key incomplete
    ("UpdateItem", _update("p1", "s01", "attribute_exists(pk)", ReturnValues="ALL_NEW"), {}),
    ("UpdateItem", _update("p1", "s04", "attribute_exists(pk)", ReturnValues="UPDATED_OLD"), {}),
    ("UpdateItem", _update("p1", "s01", "attribute_not_exists(pk)"), {}),  # ConditionalCheckFailedException
    ("UpdateItem", _update("p1", "s01", "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD"), {}),
    ("UpdateItem", {**_update("p1", "s01", "attribute_exists(pk)"), "UpdateExpression": "SET = :v"}, {}),
    ("DeleteItem", {"TableName": TABLE, "Key": _key("p2", "s02"), "ReturnValues": "ALL_OLD"}, {}),
    ("DeleteItem", {"TableName": TABLE, "Key": _key("p2", "s02"), "ConditionExpression": "attribute_exists(pk)"}, {}),
    ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {S: "p0"}}}, {}),
    ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p AND begins_with(sk, :s)", "Limit": 2,
               "ScanIndexForward": False, "ExpressionAttributeValues": {":p": {S: "p1"}, ":s": {S: "s"}}}, {}),
    ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "Limit": 2,
               "ExclusiveStartKey": _key("p0", "s03"), "ExpressionAttributeValues": {":p": {S: "p0"}}}, {}),
    ("Query", {"TableName": TABLE, "IndexName": "by-gk", "KeyConditionExpression": "gk = :g",
               "FilterExpression": "n > :n", "ExpressionAttributeValues": {":g": {S: "g1"}, ":n": {N: "3"}}}, {}),
    ("Query", {"TableName": TABLE, "KeyConditionExpression": "pk = :p", "Select": "COUNT",
               "ExpressionAttributeValues": {":p": {S: "p0"}}}, {}),
    ("Query", {"TableName": TABLE, "KeyConditionExpression": "nope = :p",
               "ExpressionAttributeValues": {":p": {S: "p0"}}}, {}),  # ValidationException
    ("Scan", {"TableName": TABLE, "Limit": 5}, {}),
    ("Scan", {"TableName": TABLE, "FilterExpression": "contains(tags, :t)", "ExpressionAttributeValues": {":t": {S: "a"}}}, {}),
    ("BatchGetItem", {"RequestItems": {TABLE: {"Keys": [_key("p0", "s00"), _key("p9", "s99"), _key("p1", "s01")]},
                                       OTHER: {"Keys": [{"id": {S: "EVI1"}}], "ProjectionExpression": "v"}}}, {}),
    ("BatchWriteItem", {"RequestItems": {TABLE: [{"PutRequest": {"Item": _item("p5", "s50", 50)}},
                                                 {"DeleteRequest": {"Key": _key("p0", "s03")}}]}}, {}),
    ("BatchWriteItem", {"RequestItems": {"missing": [{"PutRequest": {"Item": _item("p5", "s51", 51)}}]}}, {}),
    ("TransactWriteItems", {"TransactItems": [
        {"Update": {k: v for k, v in _update("p1", "s01", "attribute_exists(pk)").items()}},
        {"Put": {"TableName": OTHER, "Item": {"id": {S: "EVI2"}, "v": {N: "2"}}}},
        {"Delete": {"TableName": TABLE, "Key": _key("p5", "s50")}},
        {"ConditionCheck": {"TableName": OTHER, "Key": {"id": {S: "EVI1"}}, "ConditionExpression": "v = :one",
                            "ExpressionAttributeValues": {":one": {N: "1"}}}},
    ]}, {}),
    ("TransactWriteItems", {"TransactItems": [  # cancelled: CancellationReasons, nothing written
        {"Put": {"TableName": OTHER, "Item": {"id": {S: "EVI3"}}}},
        {"Update": {**_update("p1", "s01", "attribute_not_exists(pk)"), "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
    ]}, {}),
    ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": OTHER, "Item": {"id": {S: "EVI4"}}}},
                                              {"Delete": {"TableName": OTHER, "Key": {"id": {S: "EVI4"}}}}]}, {}),
    ("TransactGetItems", {"TransactItems": [{"Get": {"TableName": TABLE, "Key": _key("p1", "s01")}},
                                            {"Get": {"TableName": OTHER, "Key": {"id": {S: "EVI3"}}}}]}, {}),
    ("GetItem", {"TableName": TABLE, "Key": _key("p1", "s01")}, {"Origin": "http://localhost:8000"}),
    ("GetItem", {"TableName": TABLE, "Key": _key("p1", "s01")}, {"Content-Type": "application/x-amz-json-1.1"}),
    ("Scan", {"TableName": OTHER}, {}),
    ("DeleteTable", {"TableName": OTHER}, {}),
    ("ListTables", {}, {}),
]
UNREADABLE = [("GetItem", "{not json"), ("NoSuchAction", "{}")]  # both paths: 500, connection closed


def _headers(action: str, body: bytes, host: str, extra: dict) -> dict:
    return {"Host": host, "Accept-Encoding": "identity", "X-Amz-Target": f"DynamoDB_20120810.{action}",
            "Content-Type": "application/x-amz-json-1.0", "User-Agent": "Boto3/1.40.0 md/Botocore#1.40.0 cfg/retry-mode#legacy",
            "X-Amz-Date": "20261126T120000Z", "Authorization": AUTH, "Content-Length": str(len(body)), **extra}


def _ask(connection: http.client.HTTPConnection, action: str, body: object, extra: dict) -> tuple:
    data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    connection.request("POST", "/", body=data, headers=_headers(action, data, f"{connection.host}:{connection.port}", extra))
    answer = connection.getresponse()
    return answer.status, answer.reason, answer.getheaders(), answer.read()


def _comparable(answer: tuple) -> tuple:
    """The answer with the request id and creation times set aside (after checking what can be checked)."""
    status, reason, headers, body = answer
    kept = []
    for name, value in headers:
        if name == "x-amzn-requestid":
            assert re.fullmatch(r"[A-Za-z0-9]{52}", value)
            value = "<request id>"
        elif name == "x-amz-crc32":
            assert value == str(zlib.crc32(body))
        kept.append((name, value))
    masked = re.sub(rb'("\w*DateTime": )[0-9.e+]+', rb"\1<time>", body)
    if masked != body:
        times = {"x-amz-crc32": "<crc of a body with times>", "Content-Length": "<length of a body with times>"}
        kept = [(n, times.get(n, v)) for n, v in kept]
    return status, reason, kept, masked


def _played(endpoint: str) -> list:
    host, port = endpoint.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    answers = [_comparable(_ask(connection, action, body, extra)) for action, body, extra in SEQUENCE]
    for action, body in UNREADABLE:
        answers.append(_comparable(_ask(connection, action, body, {})))
        connection.close()
    return answers


@pytest.fixture(scope="module")
def both_paths():
    """(answers through the direct path, answers through moto's WSGI app, moto's stats of each)."""
    played = {}
    with pytest.MonkeyPatch.context() as env:
        for direct in ("1", "0"):
            env.setenv("CSMS_MOTO_DYNAMODB_DIRECT", direct)
            env.delenv("CSMS_MOTO_AS_SHIPPED", raising=False)
            moto = AwsProcess()
            moto.start()
            try:
                control(moto.endpoint, "stats")
                played[direct] = (_played(moto.endpoint), control(moto.endpoint, "stats")["requests"])
            finally:
                moto.stop()
    return played["1"], played["0"]


def test_every_answer_is_byte_for_byte_the_wsgi_apps(both_paths):
    (direct, _), (wsgi, _) = both_paths
    assert len(direct) == len(wsgi) == len(SEQUENCE) + len(UNREADABLE)
    for step, (mine, theirs) in enumerate(zip(direct, wsgi, strict=True)):
        assert mine == theirs, f"step {step}: {(SEQUENCE + UNREADABLE)[step][:2]}"


def test_the_sequence_meets_the_errors_the_app_handles(both_paths):
    (direct, _), _ = both_paths
    errors = {json.loads(body).get("__type", "").rpartition("#")[2]
              for status, _, _, body in direct if status == 400}
    assert {"ConditionalCheckFailedException", "ResourceNotFoundException", "ValidationException",
            "TransactionCanceledException", "ResourceInUseException"} <= errors
    cancelled = next(json.loads(body) for status, _, _, body in direct if b"TransactionCanceled" in body)
    assert [reason["Code"] for reason in cancelled["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert [status for status, *_ in direct[-2:]] == [500, 500]
    header_names = {name for _, _, headers, _ in direct for name, _ in headers}
    assert {"x-amzn-requestid", "x-amz-crc32", "X-Amzn-ErrorType", "Content-Type"} <= header_names


def test_moto_counts_the_same_requests_on_both_paths(both_paths):
    (_, direct_stats), (_, wsgi_stats) = both_paths
    assert direct_stats == wsgi_stats
    # an answered request counts; one moto failed on (500) does not, on either path
    assert direct_stats["GetItem"] == sum(1 for action, *_ in SEQUENCE if action == "GetItem")


def _botocore_headers(**changed) -> list[tuple[str, str]]:
    headers = {"Host": "127.0.0.1:1", "X-Amz-Target": "DynamoDB_20120810.GetItem", "Authorization": AUTH,
               "Content-Type": "application/x-amz-json-1.0", "Content-Length": "2", **changed}
    return [(name, value) for name, value in headers.items() if value is not None]


@pytest.mark.parametrize(("method", "path", "changed"), [
    ("GET", "/", {}),
    ("POST", "/?x=1", {}),
    ("POST", "/", {"Origin": "http://localhost"}),
    ("POST", "/", {"Content-Encoding": "gzip"}),
    ("POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("POST", "/", {"X-Amz-Target": "DynamoDBStreams_20120810.GetRecords"}),
    ("POST", "/", {"X-Amz-Target": "DynamoDB_20111205.GetItem"}),
    ("POST", "/", {"Authorization": AUTH.replace("/dynamodb/", "/s3/")}),
    ("POST", "/", {"Authorization": "AWS testing:signature"}),
    ("POST", "/", {"Authorization": None}),
    ("POST", "/", {"Host": None}),
])
def test_requests_the_direct_path_does_not_take(method, path, changed):
    assert MotoApp(app=None).direct(method, path, _botocore_headers(**changed), b"{}") is None


def test_a_botocore_request_takes_the_direct_path():
    named = {name.lower(): value for name, value in _botocore_headers()}
    assert moto_dynamodb.eligible("POST", "/", named, b"{}")
    assert not moto_dynamodb.eligible("POST", "/", named, b"")  # moto would read the headers as a query
