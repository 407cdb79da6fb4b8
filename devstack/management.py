"""The @connections management API (POST / GET / DELETE), answered as API Gateway answers it."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from websockets.exceptions import ConnectionClosed

from devstack.events import aws_id, iso
from devstack.session import GatewayView

MAX_POST_BYTES = 128 * 1024
_REASONS = {
    200: "OK",
    204: "No Content",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    411: "Length Required",
    413: "Payload Too Large",
    503: "Service Unavailable",
}


@dataclass
class HttpRequest:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    body: bytes


ERROR_HEADERS = {"Content-Type": "application/json"}


def error_body(message: str | None) -> bytes:
    return json.dumps({"message": message}).encode()


def _error(status: int, error_type: str, message: str | None) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"x-amzn-ErrorType": error_type, **ERROR_HEADERS},
        error_body(message),
    )


async def handle(gateway: GatewayView, request: HttpRequest) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(request.target).path.split("/")
    if len(parts) != 4 or parts[0] or parts[2] != "@connections" or not parts[3]:
        return _error(404, "NotFoundException", "Not Found")
    if parts[1] != gateway.stage:
        return _error(403, "ForbiddenException", "Forbidden")
    session = gateway.sessions.get(unquote(parts[3]))
    if session is None:
        return _error(410, "GoneException", None)
    if request.method == "POST":
        if len(request.body) > MAX_POST_BYTES:
            return _error(413, "PayloadTooLargeException", "Message too long")
        try:
            data: str | bytes = request.body.decode("utf-8")
        except UnicodeDecodeError:
            data = request.body
        try:
            await session.ws.send(data)
        except ConnectionClosed:
            return _error(410, "GoneException", None)
        return 200, {}, b""
    if request.method == "GET":
        body = {
            "connectedAt": iso(session.connected_at),
            "identity": {"sourceIp": session.source_ip, "userAgent": session.user_agent},
            "lastActiveAt": iso(session.last_active),
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
    if request.method == "DELETE":
        gateway.close_soon(session, 1000, "")
        return 204, {}, b""
    return _error(404, "NotFoundException", "Not Found")


def encode_response(status: int, headers: dict[str, str], body: bytes, keep_alive: bool) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}"]
    headers = {"x-amzn-RequestId": aws_id(), **headers, "Content-Length": str(len(body))}
    if not keep_alive:
        headers["Connection"] = "close"
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def serve(gateway: GatewayView, queue: asyncio.Queue, transport: asyncio.Transport) -> None:
    """Answer the requests of one keep-alive HTTP connection, in order, until it closes."""
    while (request := await queue.get()) is not None:
        status, headers, body = await handle(gateway, request)
        keep_alive = request.headers.get("connection", "").lower() != "close"
        if transport.is_closing():
            return
        transport.write(encode_response(status, headers, body, keep_alive))
        if not keep_alive:
            transport.close()
            return


class _Body:
    """The raw response botocore reads an in-process answer from (it calls `stream()`)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def in_process(gateway: GatewayView, loop: asyncio.AbstractEventLoop, timeout: float = 60) -> Any:
    """A botocore `before-send` handler: @connections requests of this process's handlers answered by
    `handle` on the gateway's loop, without a socket, an HTTP parse or a thread waiting on a read.

    botocore still builds, signs and parses them as for API Gateway (its errors, GoneException, stay);
    only the hop through the local TCP stack goes. Requests to another endpoint are sent as usual.
    """
    from botocore.awsrequest import AWSResponse

    prefix = gateway.management_endpoint + "/"

    def before_send(request: Any, **_: Any) -> Any:
        if not request.url.startswith(prefix):
            return None
        parts = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = body.read()
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            answer = asyncio.run_coroutine_threadsafe(handle(gateway, HttpRequest(request.method, target, headers, body)), loop)
        except RuntimeError:  # the loop has stopped: over HTTP, which finds the port closed
            return None
        status, answer_headers, answer_body = answer.result(timeout)
        answer_headers = {"x-amzn-RequestId": aws_id(), **answer_headers, "Content-Length": str(len(answer_body))}
        return AWSResponse(request.url, status, answer_headers, _Body(answer_body))

    return before_send
