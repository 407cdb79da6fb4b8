"""One TCP connection on the gateway port: a management HTTP client, or a charger's WebSocket upgrade."""

from __future__ import annotations

import asyncio
from typing import Any

from websockets.asyncio.server import ServerConnection

from devstack import management
from devstack.session import GatewayView, Session

MAX_HEAD = 64 * 1024
MAX_PIPELINED = 64  # management requests read ahead of their answers on one connection; beyond, it is closed


class Front(asyncio.Protocol):
    """A TCP connection on the gateway port until its first request head is read, and management HTTP.

    websockets does not read request bodies, so the request head is parsed here first. Keep-alive HTTP
    to @connections is answered by `management`; a charger's upgrade goes to the gateway, which answers
    it 503 from here, lets it wait, or hands the connection over to a websockets `Upgrade` (built only
    then: a refused or waiting charger costs no websockets objects).
    """

    def __init__(self, gateway: GatewayView) -> None:
        self.gateway = gateway
        self.transport: asyncio.Transport = None  # type: ignore[assignment]  # set by connection_made
        self.mode: str | None = None  # "http", "upgrade" (read, not handed over yet) or "ws" (handed over)
        self.request_line = ""
        self.arrived = 0.0  # when the upgrade's head was read (the gateway's clock)
        self._buffer = bytearray()
        self._continued = False  # "100 Continue" already sent for the request being read
        self._requests: asyncio.Queue | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.gateway.fronts.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.gateway.fronts.discard(self)
        if self.mode == "upgrade":
            self.gateway.upgrade_gone(self)
        if self._requests is not None:
            self._requests.put_nowait(None)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self.mode == "upgrade":  # a waiting charger sends nothing before its 101
            if len(self._buffer) > MAX_HEAD:
                self.transport.close()
            return
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
                self.mode, self.request_line = "upgrade", lines[0]
                self.gateway.upgrade(self)
                return
            if not self._read_request(lines[0], headers, end):
                return

    def _read_request(self, request_line: str, headers: dict[str, str], end: int) -> bool:
        """Queue one management request for `management.serve`; False while its body is incomplete."""
        method, target, *_ = request_line.split(" ") + ["", ""]
        length = _content_length(headers)
        if isinstance(length, tuple):
            self.refuse(*length)
            return False
        if len(self._buffer) < end + 4 + length:
            if "100-continue" in headers.get("expect", "").lower() and not self._continued:
                self._continued = True
                self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            return False
        self._continued = False
        body = bytes(self._buffer[end + 4 : end + 4 + length])
        del self._buffer[: end + 4 + length]
        if self._requests is None:
            self.mode, self._requests = "http", asyncio.Queue()
            self.gateway.spawn(management.serve(self.gateway, self._requests, self.transport))
        if self._requests.qsize() >= MAX_PIPELINED:
            self._buffer.clear()
            self.transport.close()
            return False
        self._requests.put_nowait(management.HttpRequest(method, target, headers, body))
        return True

    def refuse(self, status: int, message: str) -> None:
        """A request answered without reading on (a body, or an upgrade): answered, then closed."""
        self._buffer.clear()
        self.mode = "http"
        body = management.error_body(message)
        self.transport.write(management.encode_response(status, management.ERROR_HEADERS, body, keep_alive=False))
        self.transport.close()

    def hand_over(self, upgrade: Upgrade) -> None:
        """The connection becomes `upgrade`'s, which reads the request head as if it had just arrived."""
        self.mode = "ws"
        self.gateway.fronts.discard(self)
        self.transport.set_protocol(upgrade)
        upgrade.connection_made(self.transport)
        pending = bytes(self._buffer)
        self._buffer.clear()
        upgrade.data_received(pending)


class Upgrade(ServerConnection):
    """A charger's WebSocket connection, from its admitted upgrade on (built by the gateway)."""

    def __init__(self, *args: Any, gateway: GatewayView, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gateway = gateway
        self.deadline = deadline  # the upgrade is answered by then (the gateway's clock), 503 if need be
        self.session: Session | None = None
        self.slot: str | None = None  # "held" (one of the gateway's $connect slots), "connect" (its $connect's)

    async def handshake(self, *args: Any, **kwargs: Any) -> None:
        # past the $connect budget (answered 503 then), with room for a loop slowed by a burst: a
        # timeout here aborts the socket without an answer ("socket hang up" at the charger)
        try:
            async with asyncio.timeout(self.deadline - self.gateway.admission.clock() + 20):
                await super().handshake(*args, **kwargs)
        finally:
            self.gateway.connect_over(self)


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
