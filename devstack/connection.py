"""One TCP connection on the gateway port: a charger's WebSocket upgrade or a management HTTP client."""

from __future__ import annotations

import asyncio
from typing import Any

from websockets.asyncio.server import ServerConnection

from devstack import management
from devstack.session import GatewayView, Session

MAX_HEAD = 64 * 1024
MAX_PIPELINED = 64  # management requests read ahead of their answers on one connection; beyond, it is closed


class FrontConnection(ServerConnection):
    """One TCP connection on the gateway port: a WebSocket upgrade, or keep-alive HTTP to @connections.

    websockets does not read request bodies, so the request head is parsed here first; an upgrade is
    then handed to websockets unchanged, anything else is answered by `management`.
    """

    def __init__(self, *args: Any, gateway: GatewayView, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gateway = gateway
        self.mode: str | None = None  # "ws" or "http" once the first request head is read
        self.session: Session | None = None
        self._buffer = bytearray()
        self._continued = False  # "100 Continue" already sent for the request being read
        self._requests: asyncio.Queue = asyncio.Queue()
        self._kind: asyncio.Future = self.loop.create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.gateway.fronts.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self.gateway.fronts.discard(self)
        self._decide("closed")
        self._requests.put_nowait(None)

    def _decide(self, kind: str) -> None:
        if not self._kind.done():
            self._kind.set_result(kind)

    def data_received(self, data: bytes) -> None:
        if self.mode == "ws":
            super().data_received(data)
            return
        self._buffer += data
        while self._buffer:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEAD:
                    self.transport.close()
                return
            lines = self._buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            if self.mode is None and "websocket" in headers.get("upgrade", "").lower():
                if self.gateway.refuse_upgrade(lines[0]):
                    # the cheapest 503 in a burst: before websockets parses the upgrade (a refused
                    # charger retries within a second, thousands of times over in a burst)
                    self._refuse(503, "Service Unavailable")
                    return
                self.mode = "ws"
                pending = bytes(self._buffer)
                self._buffer.clear()
                self._decide("ws")
                super().data_received(pending)
                return
            method, target, *_ = lines[0].split(" ") + ["", ""]
            length = _content_length(headers)
            if isinstance(length, tuple):
                self._refuse(*length)
                return
            if len(self._buffer) < end + 4 + length:
                if "100-continue" in headers.get("expect", "").lower() and not self._continued:
                    self._continued = True
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                return
            self._continued = False
            body = bytes(self._buffer[end + 4 : end + 4 + length])
            del self._buffer[: end + 4 + length]
            self.mode = "http"
            if self._requests.qsize() >= MAX_PIPELINED:
                self._buffer.clear()
                self.transport.close()
                return
            self._requests.put_nowait(management.HttpRequest(method, target, headers, body))
            self._decide("http")

    def _refuse(self, status: int, message: str) -> None:
        """A request head we will not read a body for: answered, then the connection closed (nothing buffered)."""
        self._buffer.clear()
        self.mode = "http"
        body = management.error_body(message)
        self.transport.write(management.encode_response(status, management.ERROR_HEADERS, body, keep_alive=False))
        self.transport.close()
        self._decide("closed")

    async def handshake(self, *args: Any, **kwargs: Any) -> None:
        kind = await self._kind
        if kind == "ws":
            # past the $connect budget (answered 503 then), with room for a loop slowed by a burst: a
            # timeout here aborts the socket without an answer ("socket hang up" at the charger)
            async with asyncio.timeout(self.gateway.connect_budget + 20):
                await super().handshake(*args, **kwargs)
        elif kind == "http":
            await management.serve(self.gateway, self._requests, self.transport)


def _content_length(headers: dict[str, str]) -> int | tuple[int, str]:
    """The body length a management request announces, or (status, message) when it cannot be read:
    not a plain decimal (negative, signed, garbage), chunked, or above what @connections accepts."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return 411, "Content-Length required"
    raw = headers.get("content-length", "0") or "0"
    if not raw.isascii() or not raw.isdigit():
        return 400, f"Invalid Content-Length: {raw[:40]!r}"
    if len(raw) > 12 or int(raw) > management.MAX_POST_BYTES:
        return 413, "Message too long"
    return int(raw)


def close_status(ws: ServerConnection) -> tuple[int, str]:
    protocol = ws.protocol
    frame = protocol.close_rcvd
    if protocol.close_sent is not None and not protocol.close_rcvd_then_sent:
        frame = protocol.close_sent  # we (or API Gateway's limits) closed first
    if frame is None:
        return 1006, "Connection closed abnormally"
    return int(frame.code), frame.reason or ""
