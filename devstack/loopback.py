"""The local stack's DynamoDB requests to moto on 127.0.0.1 through plain http.client connections, one per thread.

botocore sends through urllib3 (pool lookup, proxy checks, header validation, its response wrapper, then
botocore's own): about a fifth of a request's client CPU against moto (docs/adr/0030-client-cpu-per-request.md).
On the loopback none of that buys anything: no TLS, no proxy, one host. `Transport.send` is a `before-send`
handler (botocore's extension point for answering a request itself; moto's mock uses the same): for a plain
http:// URL of this machine it sends the already signed request on the thread's kept-alive connection and hands
botocore an AWSResponse; anything else (https, another host, a streamed answer) returns None and goes through
botocore's own HTTP session. Failures become botocore's exceptions of the same kind (could not connect,
connection closed, timeout), so its retry handler treats them as it treats urllib3's. Never in Lambda: only the
local stack installs it (chalicelib.aws.on_new_session).
"""

from __future__ import annotations

import http.client
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSResponse
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from urllib3.util.wait import wait_for_read

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
DEFAULT_TIMEOUT = 60.0  # botocore's own connect and read timeouts when a client sets none
_UNIQUE_ID = "devstack-loopback-transport"


class _Body:
    """The response body as botocore's AWSResponse reads it (`raw.stream()`)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any):
        yield self.data


class Transport:
    """Per-thread keep-alive connections to loopback endpoints; `send` is the `before-send.dynamodb` handler."""

    def __init__(self) -> None:
        self._local = threading.local()

    def install(self, events: Any) -> None:
        """Register on a botocore session (every DynamoDB client made from it afterwards uses this transport) or
        on one client's `meta.events`."""
        events.register("before-send.dynamodb", self.send, unique_id=_UNIQUE_ID)

    @staticmethod
    def uninstall(events: Any) -> None:
        events.unregister("before-send.dynamodb", unique_id=_UNIQUE_ID)

    def send(self, request: Any, **_: Any) -> AWSResponse | None:
        url = urlsplit(request.url)
        if url.scheme != "http" or url.hostname not in LOOPBACK_HOSTS or getattr(request, "stream_output", False):
            return None
        connect_timeout, read_timeout = _timeouts(request)
        connection = self._connection(url.hostname, url.port or 80, request.url, connect_timeout)
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        try:
            connection.sock.settimeout(read_timeout)
            connection.request(request.method, target, body=request.body, headers=request.headers)
            answer = connection.getresponse()
            body = answer.read()
        except TimeoutError as e:
            self._drop(connection)
            raise ReadTimeoutError(endpoint_url=request.url, error=e) from e
        except (OSError, http.client.HTTPException) as e:
            self._drop(connection)
            raise ConnectionClosedError(endpoint_url=request.url, request=request, error=e) from e
        if answer.will_close:
            self._drop(connection)
        return AWSResponse(request.url, answer.status, _headers(answer), _Body(body))

    def _connection(self, host: str, port: int, url: str, timeout: float) -> http.client.HTTPConnection:
        """The thread's open connection to host:port, or a new one (a kept one the server closed is replaced)."""
        connections = self._local.__dict__.setdefault("connections", {})
        connection = connections.get((host, port))
        if connection is not None and (connection.sock is None or wait_for_read(connection.sock, timeout=0)):
            # Readable while idle = the server closed it (or sent what nobody asked for): never reuse that.
            self._drop(connection)
            connection = None
        if connection is None:
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                connection.connect()
            except TimeoutError as e:
                raise ConnectTimeoutError(endpoint_url=url, error=e) from e
            except OSError as e:
                raise EndpointConnectionError(endpoint_url=url, error=e) from e
            connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as urllib3 sets it
            connections[(host, port)] = connection
        return connection

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        connections = self._local.__dict__.get("connections", {})
        for key, kept in list(connections.items()):
            if kept is connection:
                del connections[key]


def _timeouts(request: Any) -> tuple[float, float]:
    config = (getattr(request, "context", None) or {}).get("client_config")
    connect = getattr(config, "connect_timeout", None) or DEFAULT_TIMEOUT
    read = getattr(config, "read_timeout", None) or DEFAULT_TIMEOUT
    return connect, read


def _headers(answer: http.client.HTTPResponse) -> dict[str, str]:
    """The response's headers; a repeated one joined with ", " as urllib3's header dict joins them."""
    headers: dict[str, str] = {}
    lower: dict[str, str] = {}
    for name, value in answer.getheaders():
        key = lower.setdefault(name.lower(), name)
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers
