"""The @connections management API (POST / GET / DELETE), answered as API Gateway answers it."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
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
