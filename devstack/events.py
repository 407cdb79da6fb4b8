"""API Gateway WebSocket and EventBridge event shapes, as Lambda receives them."""

from __future__ import annotations

import base64
import os
import secrets
import string
import time
import uuid
from datetime import UTC, datetime
from typing import Any

_ALNUM = set(string.ascii_letters + string.digits)
ACCOUNT_ID = "123456789012"


def aws_id() -> str:
    """An id shaped like API Gateway's connection and request ids ('L0SM9cOFvHcCIhw=')."""
    while True:
        value = base64.b64encode(os.urandom(11)).decode()
        # Real ids avoid '+' and '/'; '=' stays, so botocore's URL-encoding is still exercised.
        if all(c in _ALNUM for c in value[:-1]):
            return value


def api_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(10))


def request_time(epoch: float) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch))


def iso(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def request_context(
    *,
    route_key: str,
    event_type: str,
    connection_id: str,
    connected_at_ms: int,
    api: str,
    domain_name: str,
    stage: str,
    identity: dict[str, str],
) -> dict[str, Any]:
    now = time.time()
    request_id = aws_id()
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": request_id,
        "requestTime": request_time(now),
        "messageDirection": "IN",
        "stage": stage,
        "connectedAt": connected_at_ms,
        "requestTimeEpoch": int(now * 1000),
        "identity": identity,
        "requestId": request_id,
        "domainName": domain_name,
        "connectionId": connection_id,
        "apiId": api,
    }


def connect_event(
    context: dict[str, Any], raw_headers: list[tuple[str, str]], query: dict[str, list[str]]
) -> dict[str, Any]:
    headers: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in raw_headers:
        headers[name] = value
        multi.setdefault(name, []).append(value)
    event: dict[str, Any] = {"headers": headers, "multiValueHeaders": multi}
    if query:
        event["queryStringParameters"] = {k: v[-1] for k, v in query.items()}
        event["multiValueQueryStringParameters"] = query
    event["requestContext"] = context
    event["isBase64Encoded"] = False
    return event


def message_event(context: dict[str, Any], data: str | bytes) -> dict[str, Any]:
    context["messageId"] = aws_id()
    if isinstance(data, bytes):
        return {"requestContext": context, "body": base64.b64encode(data).decode(), "isBase64Encoded": True}
    return {"requestContext": context, "body": data, "isBase64Encoded": False}


def disconnect_event(context: dict[str, Any], host: str, code: int, reason: str) -> dict[str, Any]:
    context["disconnectStatusCode"] = code
    context["disconnectReason"] = reason
    headers = {"Host": host, "x-api-key": "", "X-Forwarded-For": "", "x-restapi": ""}
    return {
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "requestContext": context,
        "isBase64Encoded": False,
    }


def scheduled_event(rule_name: str, region: str) -> dict[str, Any]:
    """EventBridge's 'Scheduled Event', as a `Rate(1 minute)` rule delivers it."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{ACCOUNT_ID}:rule/{rule_name}"],
        "detail": {},
    }
