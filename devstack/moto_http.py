"""A keep-alive HTTP/1.1 server for moto's WSGI app: one thread per client connection, many requests each.

werkzeug's development server, which moto ships with, closes the connection after every answer ("Python's
http.server does not drain the stream"): each DynamoDB request of the stack then cost a TCP connection, a
new thread in moto and werkzeug's header parsing, and waited 10 ms in a drain loop before its thread ended.
botocore always sends a Content-Length (or a chunked body), so the body is read exactly and the next
request is read on the same connection. Anything the server cannot read is answered 400 and closed.
"""

from __future__ import annotations

import io
import logging
import socket
import socketserver
import sys
from typing import Any
from urllib.parse import unquote

from devstack.threads import ClosingThreadsMixIn

log = logging.getLogger("devstack.aws")

MAX_LINE = 64 * 1024
MAX_HEADERS = 200
IDLE_TIMEOUT = 300.0  # a pooled connection unused this long is closed (botocore reconnects)
_REASONS = {100: "Continue", 200: "OK", 204: "No Content", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


class BadRequest(Exception):
    pass


class KeepAliveWSGIServer(ClosingThreadsMixIn, socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, host: str, port: int, app: Any, backlog: int = 1024, direct: Any = None) -> None:
        """`direct(method, target, headers, body)`, if given, answers a request without WSGI (a tuple of
        status line, headers and body) or declines it (None): MotoApp.direct, moto's DynamoDB fast path."""
        self.request_queue_size = backlog
        self.app = app
        self.direct = direct
        super().__init__((host, port), _Handler)

    @property
    def server_port(self) -> int:
        return self.server_address[1]


class _Handler(socketserver.StreamRequestHandler):
    rbufsize = 64 * 1024
    timeout = IDLE_TIMEOUT

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle(self) -> None:
        try:
            while self._one_request():
                pass
        except (ConnectionError, TimeoutError, OSError):
            pass  # the client went away or idled out: nothing to answer

    def _one_request(self) -> bool:
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return False
        try:
            method, target, version, headers = _head(line, self.rfile)
            last = {name.lower(): value for name, value in headers}  # a repeated header: its last value
            body = self._body(last)
        except BadRequest as bad:
            self._send(400, [("Content-Type", "text/plain")], str(bad).encode(), keep_alive=False)
            return False
        keep_alive = version == "HTTP/1.1" and "close" not in last.get("connection", "").lower()
        try:
            answer = self.server.direct and self.server.direct(method, target, headers, body)
            if answer is None:
                answer = self._wsgi(method, target, version, headers, body)
        except Exception:
            log.exception("%s %s failed", method, target[:200])
            self._send(500, [("Content-Type", "text/plain")], b"Internal Server Error", keep_alive=False)
            return False
        status_line, response_headers, data = answer
        code, _, reason = status_line.partition(" ")
        if method == "HEAD":  # no body, but the length of the one a GET would get (S3's HeadObject size)
            length = _header(response_headers, "content-length") or str(len(data))
            self._send(int(code), response_headers, b"", keep_alive, reason, length=length)
        else:
            self._send(int(code), response_headers, data, keep_alive, reason)
        return keep_alive

    def _wsgi(self, method: str, target: str, version: str, headers: list[tuple[str, str]], body: bytes) -> tuple:
        """(status line, headers, body) from the WSGI app."""
        environ = self._environ(method, target, version, headers, body)
        status: list[Any] = []
        chunks: list[bytes] = []

        def start_response(status_line: str, response_headers: list, exc_info: Any = None) -> Any:
            status[:] = [status_line, response_headers]
            return lambda data: chunks.append(data)

        result = self.server.app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return status[0], status[1], b"".join(chunks)

    def _body(self, last: dict[str, str]) -> bytes:
        if "100-continue" in last.get("expect", "").lower():
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        if "chunked" in last.get("transfer-encoding", "").lower():
            return _dechunk(self.rfile)
        length = last.get("content-length") or "0"
        if not length.isdigit():
            raise BadRequest(f"invalid Content-Length {length[:40]!r}")
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            raise ConnectionError("body cut short")
        return body

    def _environ(self, method: str, target: str, version: str, headers: list[tuple[str, str]], body: bytes) -> dict:
        path, _, query = target.partition("?")
        host, port = self.server.server_address[:2]
        environ = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "REQUEST_URI": target,
            "RAW_URI": target,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": self.client_address[1],
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": version,
            "CONTENT_LENGTH": str(len(body)),
        }
        for name, value in headers:
            key = name.upper().replace("-", "_")
            if key == "CONTENT_LENGTH" or key == "TRANSFER_ENCODING":
                continue  # the body is handed over whole, with its real length
            if key != "CONTENT_TYPE":
                key = f"HTTP_{key}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _send(self, code: int, headers: list, body: bytes, keep_alive: bool, reason: str = "", length: str | None = None) -> None:
        lines = [f"HTTP/1.1 {code} {reason or _REASONS.get(code, 'Unknown')}"]
        lines += [f"{name}: {value}" for name, value in headers if name.lower() not in ("content-length", "connection")]
        lines.append(f"Content-Length: {length if length is not None else len(body)}")
        lines.append("Connection: " + ("keep-alive" if keep_alive else "close"))
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)


def _head(line: bytes, rfile: Any) -> tuple[str, str, str, list[tuple[str, str]]]:
    if len(line) > MAX_LINE or not line.endswith(b"\n"):
        raise BadRequest("request line too long")
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(f"bad request line {line[:80]!r}")
    headers = []
    while True:
        raw = rfile.readline(MAX_LINE + 1)
        if raw in (b"\r\n", b"\n"):
            break
        if not raw.endswith(b"\n") or len(headers) >= MAX_HEADERS:
            raise BadRequest("bad or too many headers")
        name, sep, value = raw.decode("latin-1").partition(":")
        if not sep:
            raise BadRequest(f"bad header line {raw[:80]!r}")
        headers.append((name.strip(), value.strip()))
    return parts[0], parts[1], parts[2], headers


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((value for key, value in reversed(headers) if key.lower() == name), "")


def _dechunk(rfile: Any) -> bytes:
    body = bytearray()
    while True:
        size_line = rfile.readline(MAX_LINE + 1).split(b";", 1)[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise BadRequest("bad chunk size") from None
        if size == 0:
            while rfile.readline(MAX_LINE + 1) not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return bytes(body)
        body += rfile.read(size)
        rfile.readline(MAX_LINE + 1)  # the CRLF after each chunk
