"""Records the IAM actions that AWS calls made through botocore need, by table, while a block runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import botocore.client

# TransactWriteItems is authorized per item: each entry needs the action of its kind on its table.
TRANSACT_ACTIONS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}
S3_ACTIONS = {"HeadObject": "GetObject"}
SERVICE_PREFIX = {"dynamodb": "dynamodb", "ses": "ses", "apigatewaymanagementapi": "execute-api"}
# S3 and Lambda operations authorized by an action of another name.
OTHER_NAMES = {
    ("s3", "CreateMultipartUpload"): "s3:PutObject", ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject", ("lambda", "Invoke"): "lambda:InvokeFunction",
}


def iam_actions(service: str, operation: str, params: dict, prefix: str) -> set[tuple[str, str]]:
    """(action, table suffix or "") pairs that one call needs."""
    iam = SERVICE_PREFIX.get(service, service)
    if service == "apigatewaymanagementapi":
        return {("execute-api:ManageConnections", "")}
    if (service, operation) in OTHER_NAMES:
        return {(OTHER_NAMES[(service, operation)], "")}
    if service == "s3":  # HeadObject is authorized as GetObject
        return {(f"s3:{S3_ACTIONS.get(operation, operation)}", "")}
    if service != "dynamodb":
        return {(f"{iam}:{operation}", "")}
    strip = lambda name: name.removeprefix(prefix)  # noqa: E731
    if operation == "TransactWriteItems":
        return {
            (f"dynamodb:{TRANSACT_ACTIONS[kind]}", strip(body["TableName"]))
            for item in params["TransactItems"]
            for kind, body in item.items()
        }
    if operation == "TransactGetItems":
        return {("dynamodb:GetItem", strip(i["Get"]["TableName"])) for i in params["TransactItems"]}
    tables = [params["TableName"]] if "TableName" in params else list(params.get("RequestItems", {}))
    return {(f"dynamodb:{operation}", strip(t)) for t in tables}


@contextmanager
def recorded(prefix: str) -> Iterator[set[tuple[str, str]]]:
    seen: set[tuple[str, str]] = set()
    original = botocore.client.BaseClient._make_api_call

    def record(client, operation, params):
        seen.update(iam_actions(client.meta.service_model.service_name, operation, params, prefix))
        return original(client, operation, params)

    botocore.client.BaseClient._make_api_call = record
    try:
        yield seen
    finally:
        botocore.client.BaseClient._make_api_call = original
