"""devstack.moto_expressions leaves every UpdateItem answer moto's own: the same update expressions (every
clause and function, nested paths, list indexes, repeated texts with other values, invalid ones) are played
against moto as shipped and against the patched moto, and every answer and error must be identical."""

from __future__ import annotations

import copy

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


def _played(patched: bool) -> list:
    if patched:
        assert fast_dynamodb.install()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            _table(client)
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
    finally:
        if patched:
            fast_dynamodb.uninstall()


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
