"""A light WebSocket client (RFC 6455) on asyncio streams for the benchmark's simulated chargers.

The `websockets` client costs the bench about 13 ms of CPU per charger connect + Boot (a refused
upgrade alone about 1 ms), and in a burst the chargers share the 2 cores with the stack they measure.
This one does only what a charger needs: the upgrade with its checks (101, Sec-WebSocket-Accept, the
subprotocol), masked text frames out, text/ping/close frames in. It never runs on the stack's side.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import struct
from urllib.parse import urlsplit

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_MESSAGE = 1 << 20
TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA


class Refused(Exception):
    """The upgrade was answered with another status than 101."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"upgrade answered HTTP {status}: {body[:200]!r}")
        self.status = status


class HandshakeFailed(Exception):
    """The server answered 101 but broke the protocol (wrong accept key, subprotocol, or framing)."""


class Closed(Exception):
    """The connection is closed; `code` is the peer's close code (1006: closed without a close frame)."""

    def __init__(self, code: int, reason: str = "") -> None:
        super().__init__(f"connection closed {code} {reason}".strip())
        self.code = code


def accept_key(key: bytes) -> bytes:
    return base64.b64encode(hashlib.sha1(key + GUID).digest())  # noqa: S324 (RFC 6455 mandates SHA-1)


def mask(payload: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, as one big-integer operation instead of a loop per byte."""
    n = len(payload)
    if not n:
        return payload
    repeated = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")


def frame(opcode: int, payload: bytes) -> bytes:
    """One final, masked client frame."""
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 1 << 16:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    key = os.urandom(4)
    return head + key + mask(payload, key)


class Connection:
    """An open client connection: `send` a text message, `recv` the next one (pings answered on the way)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, subprotocol: str | None) -> None:
        self.reader = reader
        self.writer = writer
        self.subprotocol = subprotocol
        self.closed: Closed | None = None

    async def send(self, text: str) -> None:
        if self.closed is not None:
            raise self.closed
        self.writer.write(frame(TEXT, text.encode()))
        await self.writer.drain()

    async def recv(self) -> str:
        parts: list[bytes] = []
        while True:
            fin, opcode, payload = await self._frame()
            if opcode == PING:
                self.writer.write(frame(PONG, payload))
                continue
            if opcode == PONG:
                continue
            if opcode == CLOSE:
                await self._closed_by_peer(payload)
            if (opcode == CONTINUATION) != bool(parts):
                raise HandshakeFailed("continuation frame out of place")
            parts.append(payload)
            if sum(map(len, parts)) > MAX_MESSAGE:
                raise HandshakeFailed("message too big")
            if fin:
                return b"".join(parts).decode()

    async def _frame(self) -> tuple[bool, int, bytes]:
        try:
            first, second = await self.reader.readexactly(2)
            length = second & 0x7F
            if length == 126:
                (length,) = struct.unpack("!H", await self.reader.readexactly(2))
            elif length == 127:
                (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
            if second & 0x80:
                raise HandshakeFailed("the server masked a frame")
            if length > MAX_MESSAGE:
                raise HandshakeFailed("frame too big")
            payload = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            self.closed = Closed(1006)
            self.writer.close()
            raise self.closed from exc
        return bool(first & 0x80), first & 0x0F, payload

    async def _closed_by_peer(self, payload: bytes) -> None:
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
        self.closed = Closed(code, payload[2:].decode(errors="replace"))
        try:
            self.writer.write(frame(CLOSE, payload[:2]))
            self.writer.close()
        except ConnectionError:
            pass
        raise self.closed

    async def close(self, code: int = 1000, timeout: float = 2.0) -> None:
        """Send a close frame, wait (briefly) for the server's, then close the socket."""
        if self.closed is None:
            self.closed = Closed(code)
            try:
                self.writer.write(frame(CLOSE, struct.pack("!H", code)))
                async with asyncio.timeout(timeout):
                    while True:
                        _, opcode, _ = await self._frame()
                        if opcode == CLOSE:
                            break
            except (Closed, TimeoutError, ConnectionError, HandshakeFailed):
                pass
        self.writer.close()


async def connect(url: str, subprotocol: str | None = None, timeout: float = 10.0) -> Connection:
    """Open `ws://host:port/path`; Refused on any status but 101, HandshakeFailed on a broken 101."""
    parts = urlsplit(url)
    if parts.scheme != "ws" or not parts.hostname:
        raise ValueError(f"not a ws:// URL: {url}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    key = base64.b64encode(os.urandom(16))
    head = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key.decode()}\r\nSec-WebSocket-Version: 13\r\n"
        + (f"Sec-WebSocket-Protocol: {subprotocol}\r\n" if subprotocol else "")
        + "\r\n"
    )
    async with asyncio.timeout(timeout):
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        try:
            writer.write(head.encode())
            status, headers = _response_head(await reader.readuntil(b"\r\n\r\n"))
            if status != 101:
                body = await _body(reader, headers)
                raise Refused(status, body)
        except BaseException:
            writer.close()
            raise
    if headers.get("sec-websocket-accept", "").encode() != accept_key(key):
        writer.close()
        raise HandshakeFailed("wrong Sec-WebSocket-Accept")
    chosen = headers.get("sec-websocket-protocol")
    if chosen != subprotocol:
        writer.close()
        raise HandshakeFailed(f"subprotocol {chosen!r} instead of {subprotocol!r}")
    return Connection(reader, writer, chosen)


def _response_head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ", 2)[1])
    except (IndexError, ValueError) as exc:
        raise HandshakeFailed(f"not an HTTP response: {lines[0][:80]!r}") from exc
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return status, headers


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    """The refusal's body (its Content-Length, or up to the close), for the error message."""
    try:
        if "content-length" in headers:
            return await reader.readexactly(min(int(headers["content-length"]), 4096))
        return await reader.read(4096)
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        return b""
