"""moto's CPU per DynamoDB request in the local stack, per operation: the price of each request the app sends.

    python -m bench.moto_requests [--requests 500] [--items 2000] [--smoke]

moto runs in its own process as `make run` has it (devstack.aws.AwsProcess). One table with a GSI gets
--items items; then each operation runs --requests times from one botocore client (one keep-alive
connection) per process: GetItem, PutItem, conditional UpdateItem, Query (one partition, 10 items), TransactWriteItems
(an Update and a ConditionCheck), a ConditionalCheckFailed UpdateItem, against two moto processes side by
side: one with the direct DynamoDB path (devstack/moto_dynamodb.py, docs/adr/0027-moto-dynamodb-direct.md) and
one on moto's WSGI path (CSMS_MOTO_DYNAMODB_DIRECT=0), in alternating rounds so that both see the same load
(on this shared machine CPU seconds per request still grow with the load, less than wall time does). Per
operation and process it prints moto's own CPU per request (the `stats` control: thread CPU of moto's request
threads, journal and lock included), moto's whole process CPU per request (/proc, the HTTP server loop
included), the client's wall time per request, and the direct/WSGI ratio of process CPU.
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


ROUNDS = 5  # each operation alternates between the two moto processes this many times: both see the same load


class Moto:
    """One moto process (direct DynamoDB path or moto's WSGI path), its client and its sums per operation."""

    def __init__(self, direct: bool) -> None:
        from devstack.aws import AwsProcess  # noqa: PLC0415

        self.label = "direct path" if direct else "WSGI path"
        os.environ["CSMS_MOTO_DYNAMODB_DIRECT"] = "1" if direct else "0"
        self.process = AwsProcess()
        self.process.start()
        self.client = _client(self.process.endpoint)
        self.sums: dict[str, list[float]] = {}  # operation -> [stats CPU s, process CPU s, wall s, requests]

    def run(self, name: str, call, requests: int) -> None:
        from devstack.aws import control  # noqa: PLC0415

        control(self.process.endpoint, "stats")
        pid = self.process.proc.pid
        cpu, started = proc.cpu_s(pid), time.perf_counter()
        for _ in range(requests):
            call()
        wall, used = time.perf_counter() - started, proc.cpu_s(pid) - cpu
        stats = control(self.process.endpoint, "stats")
        sums = self.sums.setdefault(name, [0.0, 0.0, 0.0, 0])
        sums[0] += sum(stats["cpu"].values())
        sums[1] += used
        sums[2] += wall
        sums[3] += sum(stats["requests"].values())


def measure(motos: list[Moto], requests: int, items: int) -> None:
    for moto in motos:
        _table(moto.client, items)
    operations = [_operations(moto.client) for moto in motos]
    for name in operations[0]:
        for calls in operations:
            for _ in range(20):
                calls[name]()  # warm: connection, caches, parsed expressions
        for _ in range(ROUNDS):
            for moto, calls in zip(motos, operations, strict=True):
                moto.run(name, calls[name], max(requests // ROUNDS, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--smoke", action="store_true", help="20 requests per operation, 100 items")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.items = 20, 100
    saved = os.environ.get("CSMS_MOTO_DYNAMODB_DIRECT")
    motos: list[Moto] = []
    try:
        motos = [Moto(direct=True), Moto(direct=False)]
        load = os.getloadavg()[0]
        measure(motos, args.requests, args.items)
        load = (load + os.getloadavg()[0]) / 2
    finally:
        for moto in motos:
            moto.process.stop()
        os.environ.pop("CSMS_MOTO_DYNAMODB_DIRECT", None)
        if saved is not None:
            os.environ["CSMS_MOTO_DYNAMODB_DIRECT"] = saved
    _print(motos, args, load)
    return 0


def _print(motos: list[Moto], args: argparse.Namespace, load: float) -> None:
    shipped = " (CSMS_MOTO_AS_SHIPPED=1: both on the WSGI path)" if os.environ.get("CSMS_MOTO_AS_SHIPPED") == "1" else ""
    print(f"moto CPU per DynamoDB request, ms ({args.requests} each, {args.items} items, load average {load:.2f}){shipped}")
    print(f"  {'operation':<30}" + "".join(f" {m.label + ': stats':>20} {'process':>8} {'wall':>7}" for m in motos)
          + f" {'process ratio':>14}")
    for name in motos[0].sums:
        cells = []
        for moto in motos:
            stats_s, process_s, wall_s, requests = moto.sums[name]
            count = max(requests, 1)
            cells.append(f" {1000 * stats_s / count:>20.3f} {1000 * process_s / count:>8.3f} {1000 * wall_s / count:>7.3f}")
        ratio = motos[0].sums[name][1] / max(motos[1].sums[name][1], 1e-9)
        print(f"  {name:<30}" + "".join(cells) + f" {ratio:>14.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
