"""devstack.moto_expressions leaves every UpdateItem answer moto's own: the same update expressions (every
clause and function, nested paths, list indexes, repeated texts with other values, invalid ones) are played
against moto as shipped and against the patched moto, and every answer and error must be identical."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.parsing import validators
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node
from moto.dynamodb.parsing.expressions import UpdateExpressionParser

from devstack import fast_dynamodb, moto_expressions

S, N = "S", "N"
START = {"pk": {S: "a"}, "sk": {S: "1"}, "n": {N: "5"}, "s": {S: "x"}, "l": {"L": [{N: "1"}, {S: "two"}]},
         "m": {"M": {"inner": {"M": {"deep": {N: "3"}}}, "k": {S: "v"}}}, "ss": {"SS": ["p", "q"]},
         "ns": {"NS": ["1", "2"]}}
# (UpdateExpression, names, values): each played twice in a row (the second answers from the parse cache)
UPDATES = [
    ("SET n = n + :one", {}, {":one": {N: "1"}}),
    ("SET n = n - :one, s = :s", {}, {":one": {N: "2"}, ":s": {S: "y"}}),
    ("SET #a = :v, #b = :w REMOVE #c ADD #d :one", {"#a": "x1", "#b": "x2", "#c": "s", "#d": "n"},
     {":v": {S: "v"}, ":w": {N: "7"}, ":one": {N: "1"}}),
    ("SET l = list_append(l, :more)", {}, {":more": {"L": [{S: "three"}]}}),
    ("SET l = list_append(:more, l)", {}, {":more": {"L": [{N: "0"}]}}),
    ("SET fresh = if_not_exists(fresh, :d), n = if_not_exists(n, :d)", {}, {":d": {N: "100"}}),
    ("SET m.inner.deep = m.inner.deep + :one, m.k = :s", {}, {":one": {N: "1"}, ":s": {S: "w"}}),
    ("SET l[0] = :v REMOVE l[1]", {}, {":v": {S: "first"}}),
    ("REMOVE m.k, x1", {}, {}),
    ("ADD ss :more, ns :nums", {}, {":more": {"SS": ["r"]}, ":nums": {"NS": ["3"]}}),
    ("DELETE ss :gone", {}, {":gone": {"SS": ["p"]}}),
    ("SET   n=n+:one", {}, {":one": {N: "1"}}),  # spaces moto strips before execution
    ("SET n = :v, n = :v", {}, {":v": {N: "1"}}),  # two actions on one path: refused
    ("SET pk = :v", {}, {":v": {S: "b"}}),  # a key attribute: refused
    ("SET n = s + :one", {}, {":one": {N: "1"}}),  # a string in arithmetic: refused
    ("SET missing.path = :v", {}, {":v": {S: "z"}}),  # a path into nothing: refused
    ("SET n = :nope", {}, {":v": {N: "1"}}),  # an unknown value: refused
    ("SET n = = :v", {}, {":v": {N: "1"}}),  # does not parse
    ("SET #nope = :v", {}, {":v": {N: "1"}}),  # an unknown name
    ("SET e = :empty", {}, {":empty": {S: ""}}),
    ("SET l[5] = :v", {}, {":v": {N: "9"}}),
    ("SET n = size(l)", {}, {}),  # not an update function: refused
    # one text, other names: the expression's own checks (key attribute, overlaps) follow the names
    ("SET #a = :v", {"#a": "pk"}, {":v": {S: "k"}}),  # a key attribute: refused
    ("SET #a = :v", {"#a": "x3"}, {":v": {S: "k"}}),
    ("SET #a = :v", {"#a": "sk"}, {":v": {S: "k"}}),  # refused again after the same text passed
    ("SET #a = :v, #b = :v", {"#a": "x4", "#b": "x4"}, {":v": {N: "1"}}),  # one path twice: refused
    ("SET #a = :v, #b = :v", {"#a": "x4", "#b": "x5"}, {":v": {N: "1"}}),
    ("SET #a = :v", {"#a": "x3", "#z": "unused"}, {":v": {S: "k"}}),  # a name the expression does not use
    # one text, other values: the value and item errors still come after the checks passed
    ("SET n = n + :x", {}, {":x": {N: "2"}}),
    ("SET n = n + :x", {}, {":x": {S: "2"}}),  # a string added: refused
    ("SET n = n + :x", {}, {}),  # no value: refused
    ("SET n = if_not_exists(n, :z) + :x, x6 = list_append(if_not_exists(x6, :e), :e)", {},
     {":z": {N: "0"}, ":x": {N: "3"}, ":e": {"L": [{S: "e"}]}}),
    ("ADD x7 :n, ns :nums DELETE ss :gone", {}, {":n": {N: "4"}, ":nums": {"NS": ["9"]}, ":gone": {"SS": ["q", "zz"]}}),
    ("DELETE ns :gone", {}, {":gone": {"NS": ["1"]}}),
    ("SET mm = :m", {}, {":m": {"M": {"k": {S: "v"}, "lst": {"L": [{N: "1"}, {"M": {"x": {S: "y"}}}]}}}}),
    ("SET mm.lst = :l, mm.lst[1] = :v", {}, {":l": {"L": [{N: "1"}]}, ":v": {N: "2"}}),
    ("SET mm.k = :v, mm.k.deeper = :v", {}, {":v": {N: "2"}}),  # one path inside another: refused
    ("SET mm.lst[1].x = :v, mm.lst[2] = :v REMOVE mm.k", {}, {":v": {S: "z"}}),
    ("SET mm.lst[0].x = :v", {}, {":v": {S: "z"}}),  # a path through a number: refused
    ("SET a = :v SET b = :v", {}, {":v": {N: "1"}}),  # two SET clauses: refused
    ("REMOVE x1 ADD n :one REMOVE x2", {}, {":one": {N: "1"}}),  # two REMOVE clauses: refused
    ("SET e = :empty, pk2 = :empty", {}, {":empty": {S: ""}}),
    ("SET l = list_append(:more, (l))", {}, {":more": {"L": [{N: "0"}]}}),  # a grouped operand in a function
    ("SET x9 = if_not_exists(x9, (:one + :one))", {}, {":one": {N: "1"}}),  # an operation in a function
    ("SET n = nothing + :one, e = :one + :s", {}, {":one": {N: "1"}, ":s": {S: "s"}}),  # two errors: moto's first
    ("SET e = :one + :s, n = nothing + :one", {}, {":one": {N: "1"}, ":s": {S: "s"}}),
    ("SET n = if_not_exists(nothing, nothing2)", {}, {}),  # a missing path left after the function
    ("SET #a.k = :v REMOVE #b", {"#a": "m", "#b": "m"}, {":v": {S: "o"}}),  # overlapping paths: refused
    ("SET #a.k = :v REMOVE #b", {"#a": "m", "#b": "x5"}, {":v": {S: "o"}}),
]


# (ConditionExpression, names, values) of a conditional UpdateItem; each played twice (tokens from the cache)
CONDITIONS = [
    ("attribute_exists(pk)", {}, {}),
    ("attribute_not_exists (#0)", {"#0": "pk"}, {}),
    ("#0 = :0", {"#0": "n"}, {":0": {N: "5"}}),
    ("#0 = :0", {"#0": "n"}, {":0": {N: "999"}}),  # the same text, another value: fails
    ("n BETWEEN :lo AND :hi AND begins_with(s, :p)", {}, {":lo": {N: "0"}, ":hi": {N: "10000"}, ":p": {S: "x"}}),
    ("NOT (n < :v) OR s IN (:a, :b)", {}, {":v": {N: "3"}, ":a": {S: "x"}, ":b": {S: "y"}}),
    ("size(l) > :z AND contains(ss, :p) AND m.inner.deep >= :z", {}, {":z": {N: "0"}, ":p": {S: "q"}}),
    ("l[0] <> :v", {}, {":v": {N: "7"}}),
    ("n = = :v", {}, {":v": {N: "1"}}),  # does not lex/parse
    ("size = :v", {}, {":v": {N: "1"}}),  # a reserved word
    ("#missing = :v", {}, {":v": {N: "1"}}),  # an unknown name
    ("n = :v ;", {}, {":v": {N: "1"}}),  # a character the lexer refuses
]


def _table(client) -> None:
    client.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": S}, {"AttributeName": "sk", "AttributeType": S}],
        BillingMode="PAY_PER_REQUEST",
    )


def _answer(call) -> object:
    try:
        return call()
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    except (AssertionError, KeyError, ValueError) as error:  # moto's own bugs (list_append on a new item's missing
        return type(error).__name__, str(error)  # attribute, an unknown name in a transaction, a filter that does not parse)


@contextmanager
def _moto(patched: bool) -> Iterator:
    """A client of an in-process moto with table `t`, patched by fast_dynamodb or as shipped."""
    if patched:
        assert fast_dynamodb.install()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _table(client)
            yield client
    finally:
        if patched:
            fast_dynamodb.uninstall()


def _played(patched: bool) -> list:
    with _moto(patched) as client:
        client.put_item(TableName="t", Item=START)
        answers = []
        for expression, names, values in UPDATES * 2:
            args = {"TableName": "t", "Key": {"pk": {S: "a"}, "sk": {S: "1"}}, "UpdateExpression": expression,
                    "ReturnValues": "ALL_NEW"}
            if names:
                args["ExpressionAttributeNames"] = names
            if values:
                args["ExpressionAttributeValues"] = values
            answers.append(_answer(lambda: client.update_item(**args)["Attributes"]))
            answers.append(_answer(lambda: client.update_item(**{**args, "Key": {"pk": {S: "new"}, "sk": {S: expression}},
                                                                    "ConditionExpression": "attribute_not_exists(pk)"})["Attributes"]))
            update = {k: v for k, v in args.items() if k != "ReturnValues"}
            answers.append(_answer(lambda: client.transact_write_items(TransactItems=[{"Update": update}])["ResponseMetadata"]["HTTPStatusCode"]))
        for condition, names, values in CONDITIONS * 2:
            args = {"TableName": "t", "Key": {"pk": {S: "a"}, "sk": {S: "1"}}, "UpdateExpression": "ADD hits :one",
                    "ConditionExpression": condition, "ExpressionAttributeValues": {":one": {N: "1"}, **values},
                    "ReturnValues": "UPDATED_NEW"}
            if names:
                args["ExpressionAttributeNames"] = names
            answers.append(_answer(lambda: client.update_item(**args)["Attributes"]))
            answers.append(_answer(lambda: client.query(
                TableName="t", KeyConditionExpression="pk = :pk", FilterExpression=condition,
                ExpressionAttributeValues={":pk": {S: "a"}, **values}, **({"ExpressionAttributeNames": names} if names else {}),
            )["Items"]))
        answers.append(client.scan(TableName="t")["Items"])
        return answers


def test_every_update_answer_is_moto_s_own():
    # Given / When: the same updates against moto as shipped and against the patched moto
    shipped = _played(patched=False)
    patched = _played(patched=True)

    # Then: the same answers, errors and final items; the scenario both succeeds and fails
    assert patched == shipped
    assert any(isinstance(a, dict) for a in shipped) and any(isinstance(a, tuple) for a in shipped)
    assert not fast_dynamodb.installed()


def test_a_parsed_expression_is_cached_and_never_changed():
    # Given: the patch installed
    assert fast_dynamodb.install()
    try:
        # When: the same text is parsed twice and validated against an item
        first = UpdateExpressionParser.make("SET a = :v REMOVE b")
        before = copy.deepcopy(first)
        second = UpdateExpressionParser.make("SET a = :v REMOVE b")
        clone = validators.deepcopy(first)

        # Then: one tree, which the clone leaves as it was; the clone has its own nodes with its own parents
        assert second is first
        assert repr(_shape(first)) == repr(_shape(before))
        assert _shape(clone) == _shape(first)
        assert not set(map(id, _nodes(clone))) & set(map(id, _nodes(first)))
        assert all(child.parent is node for node in _nodes(clone) for child in node.children or [] if isinstance(child, Node))
    finally:
        fast_dynamodb.uninstall()
    # And: moto as shipped parses afresh again
    assert UpdateExpressionParser.make("SET a = :v") is not UpdateExpressionParser.make("SET a = :v")
    assert DepthFirstTraverser.traverse is moto_expressions._moto_traverse


def _nodes(node: Node) -> list[Node]:
    found = [node]
    for child in node.children or []:
        if isinstance(child, Node):
            found += _nodes(child)
    return found


def _shape(node: object) -> object:
    if not isinstance(node, Node):
        return node
    return type(node).__name__, node.type, [_shape(child) for child in node.children or []]


def test_the_handler_s_method_names_are_moto_s_own_and_listed_once():
    from moto.core import responses
    from moto.dynamodb.responses import DynamoHandler

    shipped = responses.method_names_from_class(DynamoHandler)
    assert fast_dynamodb.install()
    try:
        first = responses.method_names_from_class(DynamoHandler)
        assert first == shipped and "update_item" in first
        assert responses.method_names_from_class(DynamoHandler) is first
    finally:
        fast_dynamodb.uninstall()
    assert responses.method_names_from_class(DynamoHandler) is not first


MOVE = "SET #0 = :1, #1 = :1, #2 = if_not_exists(#2, :z) + :one REMOVE #3 ADD #4 :one"  # the tasks adapter's shape
MOVE_NAMES = {"#0": "due_at", "#1": "next_run_at", "#2": "attempts", "#3": "retry_at", "#4": "rev"}


def _move(task: str, due: str, **values: dict) -> dict:
    return {"Update": {"TableName": "t", "Key": {"pk": {S: "task"}, "sk": {S: task}}, "UpdateExpression": MOVE,
                       "ConditionExpression": "#0 = :0", "ExpressionAttributeNames": MOVE_NAMES,
                       "ExpressionAttributeValues": {":0": {S: due}, ":1": {S: "later"}, ":z": {N: "0"},
                                                     ":one": {N: "1"}, **values}}}


# each a TransactWriteItems of several Updates of one expression text (its checks made once, then remembered)
TRANSACTIONS = [
    [_move("a", "now"), _move("c", "now")],
    [_move("a", "later"), _move("b", "now"), _move("c", "now")],  # c's condition fails: all cancelled
    [_move("a", "later"), _move("b", "now", **{":one": {S: "x"}})],  # a string to add: refused (Validation)
    [_move("a", "later"), _move("r", "now")],  # r has a string `rev`: ADD fails, a cancellation reason
    [_move("a", "later"), {"Update": {**_move("b", "now")["Update"], "ExpressionAttributeNames": {**MOVE_NAMES, "#1": "pk"}}}],
    [_move("c", "now"), {"Update": {**_move("b", "now")["Update"], "ExpressionAttributeNames": {**MOVE_NAMES, "#1": "#"}}}],
    [_move("a", "later"), _move("b", "now"), _move("c", "later")],  # all pass now
]


def _transacted(patched: bool) -> list:
    with _moto(patched) as client:
        for task, due in (("a", "now"), ("b", "now"), ("c", "now"), ("r", "now")):
            item = {"pk": {S: "task"}, "sk": {S: task}, "due_at": {S: due}, "retry_at": {S: "soon"}}
            client.put_item(TableName="t", Item={**item, "rev": {S: "x"}} if task == "r" else item)
        answers = []
        for items in TRANSACTIONS:
            try:
                answers.append(client.transact_write_items(TransactItems=items)["ResponseMetadata"]["HTTPStatusCode"])
            except ClientError as error:
                answers.append((error.response["Error"], error.response.get("CancellationReasons")))
            answers.append(client.scan(TableName="t")["Items"])
        return answers


def test_a_transaction_of_one_expression_answers_as_moto_s_own():
    # Given / When: transactions whose Updates share one text, against moto as shipped and patched
    shipped = _transacted(patched=False)
    patched = _transacted(patched=True)

    # Then: the same answers (ValidationException, TransactionCanceled and its reasons) and the same items
    assert patched == shipped
    codes = [answer[0]["Code"] for answer in shipped[::2] if isinstance(answer, tuple)]
    assert codes.count("TransactionCanceledException") >= 2 and "ValidationException" in codes
    assert shipped[-2] == 200


def test_the_expression_s_own_checks_run_once_per_text_names_and_table(monkeypatch):
    # Given: the patch installed, and moto's action-count check counted
    checked = []
    shipped_check = validators.ActionCountValidator.verify_action_counts
    monkeypatch.setattr(validators.ActionCountValidator, "verify_action_counts",
                        lambda self, node: checked.append(node) or shipped_check(self, node))
    with _moto(patched=True) as client:

        def update(sk: str, names: dict) -> None:
            client.update_item(TableName="t", Key={"pk": {S: "a"}, "sk": {S: sk}}, UpdateExpression="SET #a = :v",
                               ExpressionAttributeNames=names, ExpressionAttributeValues={":v": {N: "1"}})

        # When: one text and names for three items, then other names
        update("1", {"#a": "x"})
        first = len(checked)
        update("2", {"#a": "x"})
        update("3", {"#a": "x"})
        again = len(checked)
        update("4", {"#a": "y"})

    # Then: checked for the first item only, and again for the other names
    assert first > 0 and again == first
    assert len(checked) == 2 * first
