"""devstack.fast_dynamodb answers every Query exactly as moto does: the same random scenario (tables with
GSIs and an LSI, puts, in-place updates, deletes, batches, transactions, Queries of every shape with paging)
is played against moto as shipped and against the patched moto, and every answer must be identical."""

from __future__ import annotations

import random
from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.serialize import JSONSerializer
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table

from devstack import fast_dynamodb

S, N = "S", "N"
PK = [f"p{i}" for i in range(4)]
GROUPS = ["g0", "g1", "g2"]
NUMBERS = ["1", "1.0", "2", "2.50", "10", "-3", "7"]  # "1" and "1.0" are one number to DynamoDB
RICH = {"M": {"x": {"L": [{N: "1"}, {S: "y"}, {"L": []}, {"M": {}}]}, "z": {"BOOL": True}, "n": {"NULL": True},
              "b": {"B": b"\x00\xffbin"}, "bs": {"BS": [b"a", b"\x01"]}, "ss": {"SS": ["q", "r"]},
              "ns": {"NS": ["1.5", "-2"]}, "f": {"BOOL": False}, "e": {S: ""}}}


def _tables(client) -> None:
    client.create_table(
        TableName="ranged",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": t}
            for n, t in (("pk", S), ("sk", S), ("gh", S), ("gr", N), ("gn", N), ("lr", S))
        ],
        GlobalSecondaryIndexes=[
            {"IndexName": "by-gh", "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"},
                                                  {"AttributeName": "gr", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "by-gn", "KeySchema": [{"AttributeName": "gn", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "by-lr", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "lr", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    client.create_table(
        TableName="flat",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in (("id", N), ("gh", S), ("at", S))],
        GlobalSecondaryIndexes=[
            {"IndexName": "by-gh-at", "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"},
                                                     {"AttributeName": "at", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "by-gh", "KeySchema": [{"AttributeName": "gh", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


class Scenario:
    """One random sequence of writes and Queries; `answers` records everything the client saw."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.answers: list = []

    # --- items ---------------------------------------------------------------------------------------
    def ranged_key(self) -> dict:
        return {"pk": {S: self.rng.choice(PK)}, "sk": {S: f"s{self.rng.randint(0, 25):02d}"}}

    def flat_key(self) -> dict:
        return {"id": {N: self.rng.choice(NUMBERS + ["11", "12", "13"])}}

    def ranged_item(self) -> dict:
        r = self.rng
        item = {**self.ranged_key(), "v": {N: str(r.randint(0, 9))}, "tag": {S: r.choice(["a", "b", "ab"])}}
        if r.random() < 0.8:
            item["gh"] = {S: r.choice(GROUPS)}
        if r.random() < 0.7:
            item["gr"] = {N: r.choice(NUMBERS)}
        if r.random() < 0.6:
            item["gn"] = {N: r.choice(NUMBERS[:3])}
        if r.random() < 0.6:
            item["lr"] = {S: f"l{r.randint(0, 5)}"}
        if r.random() < 0.2:
            item["doc"] = RICH
        return item

    def flat_item(self) -> dict:
        r = self.rng
        item = {**self.flat_key(), "v": {N: str(r.randint(0, 9))}}
        if r.random() < 0.85:
            item["gh"] = {S: r.choice(GROUPS)}
        if r.random() < 0.7:
            item["at"] = {S: f"2025-01-{r.randint(1, 9):02d}"}
        return item

    def table_item(self) -> tuple[str, dict]:
        return ("ranged", self.ranged_item()) if self.rng.random() < 0.7 else ("flat", self.flat_item())

    def key_of(self, table: str) -> dict:
        return self.ranged_key() if table == "ranged" else self.flat_key()

    # --- writes --------------------------------------------------------------------------------------
    def update_args(self, table: str) -> dict:
        r = self.rng
        target = "gh" if table == "flat" or r.random() < 0.6 else r.choice(["gr", "gn", "lr"])
        value = {"gh": {S: r.choice(GROUPS)}, "gr": {N: r.choice(NUMBERS)}, "gn": {N: r.choice(NUMBERS[:3])},
                 "lr": {S: f"l{r.randint(0, 5)}"}}[target]
        if r.random() < 0.25:
            return {"UpdateExpression": f"REMOVE {target} SET v = :v", "ExpressionAttributeValues": {":v": {N: "5"}}}
        return {"UpdateExpression": f"SET {target} = :x ADD v :one",
                "ExpressionAttributeValues": {":x": value, ":one": {N: "1"}}}

    def write(self, client) -> None:
        try:
            self._write(client)
        except ClientError as error:  # e.g. a REMOVE of an index key moto refuses: both runs must agree
            self.answers.append(("write", error.response["Error"]["Code"]))

    def _write(self, client) -> None:
        r = self.rng
        kind = r.choice(["put", "put", "update", "update", "delete", "batch", "transact"])
        table = "ranged" if r.random() < 0.7 else "flat"
        if kind == "put":
            client.put_item(TableName=table, Item=self.ranged_item() if table == "ranged" else self.flat_item())
        elif kind == "update":
            client.update_item(TableName=table, Key=self.key_of(table), **self.update_args(table))
        elif kind == "delete":
            client.delete_item(TableName=table, Key=self.key_of(table))
        elif kind == "batch":
            requests: dict[str, dict] = {}
            for _ in range(r.randint(1, 6)):
                name, item = self.table_item()
                if r.random() < 0.3:
                    key = self.key_of(name)
                    entry = {"DeleteRequest": {"Key": key}}
                else:
                    key, entry = _key(item), {"PutRequest": {"Item": item}}
                requests.setdefault(name, {})[str(sorted(key.items()))] = entry  # one request per item
            client.batch_write_item(RequestItems={n: list(v.values()) for n, v in requests.items()})
        else:
            operations, seen = [], set()
            for _ in range(r.randint(1, 4)):
                name = "ranged" if r.random() < 0.7 else "flat"
                op = r.choice(["Put", "Update", "Delete", "ConditionCheck"])
                item = self.ranged_item() if name == "ranged" else self.flat_item()
                key = _key(item)
                if (name, str(sorted(key.items()))) in seen:
                    continue
                seen.add((name, str(sorted(key.items()))))
                if op == "Put":
                    operations.append({"Put": {"TableName": name, "Item": item}})
                elif op == "Update":
                    operations.append({"Update": {"TableName": name, "Key": key, **self.update_args(name)}})
                elif op == "Delete":
                    operations.append({"Delete": {"TableName": name, "Key": key}})
                else:  # fails (and rolls the whole transaction back) unless the item exists
                    operations.append({"ConditionCheck": {"TableName": name, "Key": key,
                                                          "ConditionExpression": "attribute_exists(v)"}})
            try:
                client.transact_write_items(TransactItems=operations)
                self.answers.append(("transaction", "ok"))
            except ClientError as error:
                self.answers.append(("transaction", error.response["Error"]["Code"]))

    # --- queries -------------------------------------------------------------------------------------
    def query_args(self) -> dict:
        r = self.rng
        shape = r.choice(["base", "base", "by-gh", "by-gn", "by-lr", "flat-base", "flat-by-gh-at", "flat-by-gh"])
        values: dict = {}
        if shape == "base":
            args = {"TableName": "ranged", "KeyConditionExpression": "pk = :h"}
            values[":h"] = {S: r.choice(PK + ["nope"])}
            self.range_condition(args, values, "sk", lambda: {S: f"s{r.randint(0, 25):02d}"}, "s1")
        elif shape == "by-gh":
            args = {"TableName": "ranged", "IndexName": "by-gh", "KeyConditionExpression": "gh = :h"}
            values[":h"] = {S: r.choice(GROUPS)}
            self.range_condition(args, values, "gr", lambda: {N: r.choice(NUMBERS)}, None)
        elif shape == "by-gn":
            args = {"TableName": "ranged", "IndexName": "by-gn", "KeyConditionExpression": "gn = :h"}
            values[":h"] = {N: r.choice(NUMBERS[:3])}
        elif shape == "by-lr":
            args = {"TableName": "ranged", "IndexName": "by-lr", "KeyConditionExpression": "pk = :h"}
            values[":h"] = {S: r.choice(PK)}
            self.range_condition(args, values, "lr", lambda: {S: f"l{r.randint(0, 5)}"}, "l")
        elif shape == "flat-base":
            args = {"TableName": "flat", "KeyConditionExpression": "id = :h"}
            values[":h"] = {N: r.choice(NUMBERS + ["11"])}
        elif shape == "flat-by-gh-at":
            args = {"TableName": "flat", "IndexName": "by-gh-at", "KeyConditionExpression": "gh = :h"}
            values[":h"] = {S: r.choice(GROUPS)}
            self.range_condition(args, values, "at", lambda: {S: f"2025-01-{r.randint(1, 9):02d}"}, "2025-01-0")
        else:
            args = {"TableName": "flat", "IndexName": "by-gh", "KeyConditionExpression": "gh = :h"}
            values[":h"] = {S: r.choice(GROUPS)}
        if r.random() < 0.5:
            args["ScanIndexForward"] = False
        if r.random() < 0.6:
            args["Limit"] = r.randint(1, 6)
        if r.random() < 0.3:
            args["FilterExpression"] = "v >= :f OR begins_with(#t, :t)"
            args["ExpressionAttributeNames"] = {"#t": "tag"}
            values[":f"] = {N: str(r.randint(0, 9))}
            values[":t"] = {S: "a"}
        elif r.random() < 0.15:
            args["ProjectionExpression"] = "v, doc.x[1]"
        elif r.random() < 0.1:
            args["Select"] = "COUNT"
        args["ExpressionAttributeValues"] = values
        return args

    def range_condition(self, args: dict, values: dict, name: str, value, prefix: str | None) -> None:
        r = self.rng
        form = r.choice(["none", "none", "eq", "lt", "ge", "between", "begins"] if prefix else
                        ["none", "none", "eq", "lt", "ge", "between"])
        if form == "none":
            return
        if form == "begins":
            args["KeyConditionExpression"] += f" AND begins_with({name}, :r)"
            values[":r"] = {S: prefix + (str(r.randint(0, 2)) if r.random() < 0.5 else "")}
        elif form == "between":
            low, high = sorted([value(), value()], key=lambda v: next(iter(v.values())))
            args["KeyConditionExpression"] += f" AND {name} BETWEEN :r AND :s"
            values[":r"], values[":s"] = low, high
        else:
            args["KeyConditionExpression"] += f" AND {name} {dict(eq='=', lt='<', ge='>=')[form]} :r"
            values[":r"] = value()

    def query(self, client) -> None:
        args = self.query_args()
        pages = []
        try:
            while True:
                page = client.query(**args)
                pages.append({k: page.get(k) for k in ("Items", "Count", "ScannedCount", "LastEvaluatedKey")})
                if "LastEvaluatedKey" not in page or len(pages) > 40:
                    break
                args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
                if self.rng.random() < 0.3:  # the table changes between two pages
                    self.write(client)
        except ClientError as error:
            pages.append(error.response["Error"]["Code"])
        self.answers.append((args["TableName"], args.get("IndexName"), pages))

    def run(self, steps: int) -> list:
        client = boto3.client("dynamodb", region_name="eu-west-1")
        _tables(client)
        for _ in range(steps):
            if self.rng.random() < 0.45:
                self.write(client)
            else:
                self.query(client)
        for name in ("ranged", "flat"):  # and the tables end the same
            self.answers.append(sorted(map(str, client.scan(TableName=name)["Items"])))
        return self.answers


def _key(item: dict) -> dict:
    return {k: v for k, v in item.items() if k in ("pk", "sk", "id")}


def _played(seed: int, steps: int, patched: bool) -> list:
    if patched:
        assert fast_dynamodb.install()
    try:
        with mock_aws():
            return Scenario(seed).run(steps)
    finally:
        if patched:
            fast_dynamodb.uninstall()


@pytest.mark.parametrize("seed", range(6))
def test_every_answer_is_moto_s_own(seed):
    # Given / When: one scenario against moto as shipped, and the same against the patched moto
    shipped = _played(seed, 250, patched=False)
    patched = _played(seed, 250, patched=True)

    # Then
    assert not fast_dynamodb.installed()
    queries = [a for a in shipped if isinstance(a, tuple) and a[0] != "transaction"]
    assert len(queries) > 80 and any(len(q[2]) > 2 for q in queries)  # the scenario does exercise paging
    assert patched == shipped


def test_index_types_it_cannot_presort_are_left_to_moto():
    # Given: an index range key stored as binary in one item and as strings in others (moto accepts it)
    def play() -> list:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _tables(client)
            table = _backend_table("flat")
            for number, at in (("1", {"B": "QUFB"}), ("2", {S: "x"}), ("3", {S: "a"}), ("4", {S: "QUFA"})):
                table.put_item({"id": {N: number}, "gh": {S: "g0"}, "at": at})
            return [client.query(TableName="flat", IndexName="by-gh-at", KeyConditionExpression="gh = :h",
                                 ExpressionAttributeValues={":h": {S: "g0"}}, ScanIndexForward=forward)["Items"]
                    for forward in (True, False)]

    shipped = play()
    fast_dynamodb.install()
    try:
        patched = play()
    finally:
        fast_dynamodb.uninstall()

    # Then
    assert patched == shipped


def test_install_is_counted_and_uninstall_restores_moto():
    def moto_as_it_is() -> tuple:
        return (Table.query, Table.all_items, Table.put_item, DynamoDBBackend.update_item,
                DynamoType.__dict__["cast_value"], Item.__dict__.get("__new__"),
                JSONSerializer.__dict__.get("_serialize_type_structure"))

    shipped = moto_as_it_is()

    assert fast_dynamodb.install() and fast_dynamodb.install()
    fast_dynamodb.uninstall()
    assert fast_dynamodb.installed() and Table.query is not shipped[0]
    fast_dynamodb.uninstall()

    assert not fast_dynamodb.installed()
    assert moto_as_it_is() == shipped and shipped[-2:] == (None, None)  # both were inherited


def test_items_are_not_kept_for_moto_s_dashboard():
    def tracked(item: Item) -> bool:
        return any(kept is item for kept in Item.instances_tracked)

    fast_dynamodb.install()
    try:
        answer = Item(DynamoType({S: "h"}), None, {"h": {S: "h"}, "n": {N: "1"}})
        assert not tracked(answer) and answer.attrs["n"] == DynamoType({N: "1"})
    finally:
        fast_dynamodb.uninstall()
    assert tracked(Item(DynamoType({S: "h"}), None, {"h": {S: "h"}}))  # moto as shipped keeps them


def test_caches_from_an_earlier_install_are_void():
    # Given: a cached partition, then a write while the patch is off (untracked)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        _tables(client)
        client.put_item(TableName="ranged", Item={"pk": {S: "p0"}, "sk": {S: "a"}})

        def keys() -> list:
            answer = client.query(TableName="ranged", KeyConditionExpression="pk = :h",
                                  ExpressionAttributeValues={":h": {S: "p0"}})
            return [i["sk"][S] for i in answer["Items"]]

        fast_dynamodb.install()
        try:
            assert keys() == ["a"]
        finally:
            fast_dynamodb.uninstall()
        client.put_item(TableName="ranged", Item={"pk": {S: "p0"}, "sk": {S: "b"}})

        # When
        fast_dynamodb.install()
        try:
            # Then
            assert keys() == ["a", "b"]
        finally:
            fast_dynamodb.uninstall()


def _query_body(answer: Callable[[], dict]) -> tuple[str, str]:
    """The JSON body moto makes of a Query answer (`answer()` built afresh), as shipped and with the patches."""
    import moto.dynamodb.responses as responses
    from moto.core.serialize import XFormedAttributePicker
    from moto.core.utils import get_service_model

    def body() -> str:
        operation = get_service_model("dynamodb").operation_model("Query")
        serializer = JSONSerializer(operation_model=operation, pretty_print=False,
                                    value_picker=XFormedAttributePicker(response_transformers={}))
        return serializer.serialize(responses.dynamo_to_dict(answer()))["body"]

    shipped = body()
    fast_dynamodb.install()
    try:
        return shipped, body()
    finally:
        fast_dynamodb.uninstall()


def test_items_are_serialized_byte_for_byte_as_moto_does():
    # Given: a Query answer holding every AttributeValue type, nested
    # (and items of S and N values only, the shortcut's case: empty strings, unicode, numbers as sent)
    wire = {"pk": {S: "p0"}, "sk": {S: "s"}, "v": {N: "3"}, "doc": {"M": {
        **{k: v for k, v in RICH["M"].items() if k not in ("b", "bs")},
        "b": {"B": "AP9iaW4="}, "bs": {"BS": ["YQ==", "AQ=="]}}}}
    plain = {"pk": {S: "p1"}, "e": {S: ""}, "u": {S: "Ä\u2028\"q"}, "n": {N: "-1.50"}, "z": {N: "0"}}
    items = [{name: DynamoType(value) for name, value in wire.items()}] * 3
    items += [Item(DynamoType(plain["pk"]), None, plain).attrs] * 2
    answer = {"Count": 5, "ScannedCount": 5, "Items": items, "LastEvaluatedKey": {"pk": DynamoType({S: "p0"})}}

    # When
    shipped, patched = _query_body(lambda: answer)

    # Then
    assert patched == shipped
    assert '"b": {"B": "AP9iaW4="}' in patched and '"n": {"N": "-1.50"}' in patched


def test_a_page_of_plain_projected_items_is_serialized_byte_for_byte_as_moto_does():
    # Given: a Query page of index-projected items of S and N values only (a report's page: the list shortcut)
    from moto.dynamodb.models.table import GlobalSecondaryIndex, SecondaryIndex

    index = GlobalSecondaryIndex("by-g", [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}],
                                 {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["u", "n", "e"]}, ["pk"])
    stored = [Item(DynamoType({S: f"p{n}"}), None, {"pk": {S: f"p{n}"}, "g": {S: "g"}, "at": {S: f"2026-{n:02d}"},
                                                     "u": {S: "Ä\u2028\"q"}, "n": {N: f"-{n}.50"}, "e": {S: ""},
                                                     "secret": {S: "not projected"}}) for n in range(6)]

    def answer() -> dict:  # projected by moto's SecondaryIndex.project, or as installed
        items = [SecondaryIndex.project(index, item).attrs for item in stored]
        return {"Count": 6, "ScannedCount": 6, "Items": items, "LastEvaluatedKey": {"pk": DynamoType({S: "p5"})}}

    # When
    shipped, patched = _query_body(answer)

    # Then
    assert patched == shipped
    assert '"n": {"N": "-5.50"}' in patched and "secret" not in patched


def _backend_table(name: str):
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].get_table(name)


def test_failed_transaction_rolls_back_named_items_only_without_copying_tables():
    # Given: 300 items, then transactions that write before a later operation fails (and one that succeeds)
    fill = [{"PutRequest": {"Item": {"pk": {S: f"p{i % 4}"}, "sk": {S: f"s{i:03d}"}, "v": {N: "1"}, "gh": {S: "g0"}}}}
            for i in range(300)]
    failing = [
        {"Put": {"TableName": "ranged", "Item": {"pk": {S: "p9"}, "sk": {S: "new"}, "gh": {S: "g1"}}}},
        {"Update": {"TableName": "ranged", "Key": {"pk": {S: "p1"}, "sk": {S: "s001"}},
                    "UpdateExpression": "SET gh = :g ADD v :one",
                    "ExpressionAttributeValues": {":g": {S: "g2"}, ":one": {N: "1"}}}},
        {"Delete": {"TableName": "ranged", "Key": {"pk": {S: "p2"}, "sk": {S: "s002"}}}},
        {"Put": {"TableName": "flat", "Item": {"id": {N: "5"}, "gh": {S: "g0"}}}},
        {"ConditionCheck": {"TableName": "ranged", "Key": {"pk": {S: "p3"}, "sk": {S: "absent"}},
                            "ConditionExpression": "attribute_exists(v)"}},
    ]

    def play() -> tuple[list, bool]:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _tables(client)
            for start in range(0, len(fill), 25):
                client.batch_write_item(RequestItems={"ranged": fill[start : start + 25]})
            table = _backend_table("ranged")
            seen = []
            for operations in (failing, failing[:4]):
                try:
                    client.transact_write_items(TransactItems=operations)
                    seen.append("ok")
                except ClientError as error:
                    seen.append([r["Code"] for r in error.response["CancellationReasons"]])
                for index in ("by-gh", None):
                    seen.append(client.query(TableName="ranged", **({"IndexName": index} if index else {}),
                                             KeyConditionExpression=f"{'gh' if index else 'pk'} = :h",
                                             ExpressionAttributeValues={":h": {S: "g2" if index else "p9"}})["Items"])
                seen.append(sorted(map(str, client.scan(TableName="ranged")["Items"])))
                seen.append(sorted(map(str, client.scan(TableName="flat")["Items"])))
            return seen, _backend_table("ranged") is table

    # When
    shipped, shipped_kept_table = play()
    fast_dynamodb.install()
    try:
        patched, patched_kept_table = play()
    finally:
        fast_dynamodb.uninstall()

    # Then: the same answers, the first transaction cancelled by its ConditionCheck, the second applied
    assert patched == shipped
    assert shipped[0] == ["None", "None", "None", "None", "ConditionalCheckFailed"] and shipped[1:3] == [[], []]
    assert shipped[5] == "ok" and shipped[7] and shipped[8] != shipped[3]
    assert not shipped_kept_table and patched_kept_table  # moto put back a copy; the patch copied no table


def test_transactions_leave_no_table_copy_behind():
    # moto registers every model instance for its dashboard, deep copies of tables included: as shipped, each
    # TransactWriteItems kept a copy of its tables for good (the local stack grew 0.5-1.3 MB per charger cycle)
    def copies_kept_by(transactions: int) -> int:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _tables(client)
            before = len(Table.instances_tracked)
            for n in range(transactions):
                client.transact_write_items(TransactItems=[
                    {"Put": {"TableName": "ranged", "Item": {"pk": {S: "p0"}, "sk": {S: f"s{n}"}}}},
                    {"Update": {"TableName": "flat", "Key": {"id": {N: "1"}}, "UpdateExpression": "ADD v :one",
                                "ExpressionAttributeValues": {":one": {N: "1"}}}},
                ])
            return len(Table.instances_tracked) - before

    assert copies_kept_by(10) == 20  # moto as shipped
    fast_dynamodb.install()
    try:
        assert copies_kept_by(10) == 0
    finally:
        fast_dynamodb.uninstall()


def test_an_include_projection_keeps_the_values_moto_would_rebuild():
    from moto.dynamodb.models.dynamo_type import Item

    from devstack import moto_items

    item = Item(hash_key=None, range_key=None, attrs={
        "transaction_id": {"N": "7"}, "org_id": {"S": "ACME"}, "energy_wh": {"N": "1500.5"}, "flags": {"SS": ["a", "b"]},
        "user_id": {"NULL": True}, "points": {"L": [{"M": {"n": {"N": "1"}}}]}, "secret": {"S": "not projected"},
    })
    def same(projected: Item) -> dict:  # a set's members in one order (moto's round trip through a set shuffles them)
        attrs = projected.to_json()["Attributes"]
        return {name: {"SS": sorted(value["SS"])} if "SS" in value else value for name, value in attrs.items()}

    wanted = [["transaction_id"], ["org_id"], ["energy_wh"], ["flags"], ["user_id"], ["points"], ["absent"]]
    assert same(moto_items.project(item, wanted)) == same(moto_items._moto_project(item, wanted))
    assert "secret" not in same(moto_items.project(item, wanted))
    nested = [["points", "[0]"]]
    assert same(moto_items.project(item, nested)) == same(moto_items._moto_project(item, nested))
