"""moto's CPU per DynamoDB request in the local stack, per operation: the price of each request the app sends.

    python -m bench.moto_requests [--requests 500] [--items 2000] [--smoke]

moto runs in its own process as `make run` has it (devstack.aws.AwsProcess). One table with a GSI gets
--items items; then each operation runs --requests times from one botocore client (one keep-alive
connection): GetItem, PutItem, conditional UpdateItem, Query (one partition, 10 items), TransactWriteItems
(an Update and a ConditionCheck), a ConditionalCheckFailed UpdateItem. Per operation it prints moto's own
CPU per request (the `stats` control: thread CPU of moto's request threads, journal and lock included) and
moto's whole process CPU per request (/proc, the HTTP server loop included), and the client's wall time per
request. CPU seconds barely move with the machine's load; wall time does. `CSMS_MOTO_DYNAMODB_DIRECT=0`
measures moto's WSGI path (devstack/moto_dynamodb.py is the fast one), `CSMS_MOTO_AS_SHIPPED=1` moto with
none of the local stack's patches.
"""

from __future__ import annotations

import argparse
import os
import time

from bench import proc

TABLE = "bench-moto-requests"


def _client(endpoint: str):
    import botocore.session  # noqa: PLC0415

    return botocore.session.get_session().create_client(
        "dynamodb", region_name="eu-west-1", endpoint_url=endpoint,
        aws_access_key_id="testing", aws_secret_access_key="testing",  # noqa: S106 (moto's fake credentials)
    )


def _table(client, items: int) -> None:
    client.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "gk")],
        GlobalSecondaryIndexes=[{"IndexName": "by-gk", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}]}],
    )
    for start in range(0, items, 25):
        client.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": _item(i)}} for i in range(start, min(start + 25, items))
        ]})


def _item(i: int) -> dict:
    return {"pk": {"S": f"p{i // 10}"}, "sk": {"S": f"s{i % 10:02d}"}, "gk": {"S": f"g{i % 7}"},
            "n": {"N": str(i)}, "name": {"S": f"station {i}"}, "tags": {"SS": ["a", "b"]}}


def _operations(client) -> dict:
    key = {"pk": {"S": "p1"}, "sk": {"S": "s01"}}
    update = {"TableName": TABLE, "Key": key, "UpdateExpression": "SET #n = :v ADD n :one",
              "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeNames": {"#n": "name"},
              "ExpressionAttributeValues": {":v": {"S": "renamed"}, ":one": {"N": "1"}}}

    def failing_update() -> None:
        try:
            client.update_item(**{**update, "ConditionExpression": "attribute_not_exists(pk)"})
        except client.exceptions.ConditionalCheckFailedException:
            return
        raise RuntimeError("the condition should have failed")

    return {
        "GetItem": lambda: client.get_item(TableName=TABLE, Key=key),
        "PutItem": lambda: client.put_item(TableName=TABLE, Item=_item(5)),
        "UpdateItem": lambda: client.update_item(**update),
        "Query": lambda: client.query(TableName=TABLE, KeyConditionExpression="pk = :p",
                                      ExpressionAttributeValues={":p": {"S": "p3"}}),
        "TransactWriteItems": lambda: client.transact_write_items(TransactItems=[
            {"Update": {k: v for k, v in update.items() if k != "TableName"} | {"TableName": TABLE}},
            {"ConditionCheck": {"TableName": TABLE, "Key": {"pk": {"S": "p2"}, "sk": {"S": "s02"}},
                                "ConditionExpression": "attribute_exists(pk)"}},
        ]),
        "UpdateItem (condition fails)": failing_update,
    }


def measure(endpoint: str, pid: int, requests: int, items: int) -> list[tuple[str, float, float, float]]:
    from devstack.aws import control  # noqa: PLC0415

    client = _client(endpoint)
    _table(client, items)
    rows = []
    for name, call in _operations(client).items():
        for _ in range(20):
            call()  # warm: connection, caches, parsed expressions
        control(endpoint, "stats")
        cpu, started = proc.cpu_s(pid), time.perf_counter()
        for _ in range(requests):
            call()
        wall, used = time.perf_counter() - started, proc.cpu_s(pid) - cpu
        stats = control(endpoint, "stats")
        ms = 1000 * sum(stats["cpu"].values()) / max(sum(stats["requests"].values()), 1)
        rows.append((name, ms, 1000 * used / requests, 1000 * wall / requests))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="20 requests per operation, 100 items")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.items = 20, 100
    from devstack.aws import AwsProcess  # noqa: PLC0415

    moto = AwsProcess()
    moto.start()
    try:
        load = os.getloadavg()[0]
        rows = measure(moto.endpoint, moto.proc.pid, args.requests, args.items)
    finally:
        moto.stop()
    fast = os.environ.get("CSMS_MOTO_DYNAMODB_DIRECT") != "0" and os.environ.get("CSMS_MOTO_AS_SHIPPED") != "1"
    print(f"moto CPU per DynamoDB request ({args.requests} each, {args.items} items, "
          f"{'direct path' if fast else 'WSGI path'}, load average {load:.2f})")
    print(f"  {'operation':<30} {'moto stats ms':>14} {'moto process ms':>16} {'wall ms':>9}")
    for name, stats_ms, process_ms, wall_ms in rows:
        print(f"  {name:<30} {stats_ms:>14.3f} {process_ms:>16.3f} {wall_ms:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
