"""A local API Gateway WebSocket: $connect / $default / $disconnect Lambda events and @connections.

One asyncio loop in a thread of its own serves both the chargers' WebSocket upgrades and the plain
HTTP management API on the same port; Lambda handlers run in a thread pool, one frame at a time per
connection, connections concurrently.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from devstack import events, management
from devstack.admission import Admission
from devstack.connection import FrontConnection, close_status
from devstack.edge import query_parameters
from devstack.handlers import Handler, lambda_context
from devstack.session import Session

log = logging.getLogger("devstack.gateway")

FRAME_LIMIT = 32 * 1024  # API Gateway closes with 1009 above this
MESSAGE_LIMIT = 128 * 1024
IDLE_TIMEOUT = 600.0
MAX_DURATION = 7200.0
CONNECT_BUDGET = 8.0  # seconds a $connect may take before the upgrade is answered 503 (clients give up at ~10)
CONNECT_WORKERS = 8  # $connects running at once (devstack/admission.py); more only share the same cores
QUEUE_TARGET = 2.0  # a standing queue of $connects: the last one to start had waited longer than this


BUSY = '{"message": "Service Unavailable"}'


def _answer_header(answer: Mapping[str, Any], name: str) -> str | None:
    for key, value in (answer.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    for key, values in (answer.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower() and values:
            return values[-1]
    return None


class Gateway:
    """The local API Gateway WebSocket API; `handlers` maps route keys to Lambda handlers."""

    def __init__(
        self,
        handlers: Mapping[str, Handler],
        *,
        host: str = "127.0.0.1",
        port: int = 9000,
        sock: socket.socket | None = None,
        stage: str = "local",
        api: str | None = None,
        idle_timeout: float = IDLE_TIMEOUT,
        max_duration: float = MAX_DURATION,
        frame_limit: int = FRAME_LIMIT,
        message_limit: int = MESSAGE_LIMIT,
        max_workers: int = 48,
        max_pending_connects: int | None = None,
        connect_budget: float = CONNECT_BUDGET,
        connect_workers: int = CONNECT_WORKERS,
        queue_target: float = QUEUE_TARGET,
        function_prefix: str = "csms-local",
        switch_interval: float | None = 0.001,
    ) -> None:
        self.handlers = dict(handlers)
        self.stage = stage
        self.api = api or events.api_id()
        self.idle_timeout = idle_timeout
        self.max_duration = max_duration
        self.frame_limit = frame_limit
        self.message_limit = message_limit
        self.function_prefix = function_prefix
        # $connects running or queued; beyond, or while the queue stands, an upgrade is answered 503 at once
        self.admission = Admission(
            connect_workers, max_workers if max_pending_connects is None else max_pending_connects, queue_target
        )
        self.connect_budget = connect_budget
        self.switch_interval = switch_interval
        self._saved_switch_interval: float | None = None
        self.sock = sock or socket.create_server((host, port))
        self.host, self.port = self.sock.getsockname()[:2]
        self.sessions: dict[str, Session] = {}
        self.fronts: set[FrontConnection] = set()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="devstack-lambda")
        # $connects have threads of their own: frames of admitted chargers never queue behind a burst
        self._connect_executor = ThreadPoolExecutor(max_workers=connect_workers, thread_name_prefix="devstack-connect")
        self._tasks: set[asyncio.Task] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    @property
    def pending_connects(self) -> int:
        return self.admission.pending

    @property
    def refused_busy(self) -> int:
        return self.admission.refused

    def refuse_upgrade(self, request_line: str) -> bool:
        """True (and counted) when a charger's upgrade is to be answered 503 before it is even parsed."""
        if "$connect" not in self.handlers or self.admission.admit():
            return False
        query = query_parameters(request_line.split(" ")[1] if " " in request_line else "") or {}
        self.admission.refuse((query.get("chargePointId") or ["?"])[-1], "queue full")
        return True

    def send_in_process(self, client: Any) -> None:
        """Let a botocore @connections client of this process reach the gateway without a socket
        (management.in_process); the gateway must be running."""
        assert self._loop is not None
        client.meta.events.register_first(
            f"before-send.{client.meta.service_model.service_id.hyphenize()}", management.in_process(self, self._loop)
        )

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/ocpp"

    @property
    def management_endpoint(self) -> str:
        """What CSMS_WS_MANAGEMENT_ENDPOINT must say; botocore appends /<stage>/@connections/<id>."""
        return f"http://{self.host}:{self.port}"

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        if self.switch_interval is not None:
            # The loop thread shares the GIL with the handler threads; Python's default 5 ms hand-over
            # interval alone puts the p95 of 1,000 chargers' round trips past 50 ms.
            self._saved_switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(self.switch_interval)
        self._thread = threading.Thread(target=self._run, name="devstack-gateway", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError("gateway failed to start") from self._error

    def stop(self, timeout: float = 30) -> None:
        """Close every connection with 1001 (each gets its $disconnect), then the port and the pool."""
        if self._thread is not None and self._thread.is_alive() and self._loop and self._stopping:
            self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(timeout)
        self._executor.shutdown(wait=True)
        self._connect_executor.shutdown(wait=True, cancel_futures=True)
        self.sock.close()
        if self._saved_switch_interval is not None:
            sys.setswitchinterval(self._saved_switch_interval)
            self._saved_switch_interval = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        try:
            server = await serve(
                self._serve_session,
                sock=self.sock,
                create_connection=functools.partial(FrontConnection, gateway=self),
                process_request=self._process_request,
                select_subprotocol=lambda conn, offered: conn.session.subprotocol,
                compression=None,  # API Gateway negotiates no extension
                max_size=(self.message_limit, self.frame_limit),
                ping_interval=None,  # API Gateway sends no pings; it answers the charger's
                open_timeout=None,  # applied in FrontConnection.handshake, upgrades only
                server_header=None,
            )
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        log.info("gateway listening on %s", self.url)
        sweeper = asyncio.create_task(self._sweep())
        await self._stopping.wait()
        sweeper.cancel()
        for front in list(self.fronts):
            if front.mode != "ws":
                front.transport.close()
        server.close(code=1001, reason="Going away")
        await server.wait_closed()
        if self._tasks:
            await asyncio.wait(self._tasks)
        log.info("gateway stopped")

    # --- API Gateway behaviour -----------------------------------------------------------------
    def _call(self, route: str, event: dict) -> functools.partial:
        handler = self.handlers[route]
        name = f"{self.function_prefix}-{getattr(handler, '__name__', route.strip('$'))}"
        return functools.partial(_call, handler, event, name)

    async def _invoke(self, route: str, event: dict) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call(route, event))

    def _submit_connect(self, event: dict) -> asyncio.Future:
        """Queue a $connect; pending until its handler returns, or until cancelled before it started."""
        loop = asyncio.get_running_loop()
        call, admission, queued_at = self._call("$connect", event), self.admission, self.admission.clock()

        def run() -> Any:
            admission.started(queued_at)
            return call()

        work = self._connect_executor.submit(run)
        admission.pending += 1
        work.add_done_callback(lambda _: _soon(loop, self._connect_done))
        return asyncio.wrap_future(work)

    def _connect_done(self) -> None:
        self.admission.pending -= 1

    async def _process_request(self, conn: FrontConnection, request: Any) -> Any:
        query = query_parameters(request.path)
        if query is None:
            return conn.respond(404, "Not Found\n")
        station = (query.get("chargePointId") or ["?"])[-1]
        if "$connect" in self.handlers and not self.admission.admit():
            # A burst beyond what the handlers can take in time: refused now (the charger retries),
            # not left to time out in the queue.
            self.admission.refuse(station, "queue full")
            return conn.respond(503, BUSY)
        source_ip = conn.remote_address[0] if conn.remote_address else ""
        host = request.headers.get("Host", f"{self.host}:{self.port}")
        session = Session(
            connection_id=events.aws_id(),
            ws=conn,
            station=station,
            host=host,
            source_ip=source_ip,
            user_agent=request.headers.get("User-Agent", ""),
            api=self.api,
            domain_name=host,
            stage=self.stage,
        )
        answer: Any = {"statusCode": 200}
        if "$connect" in self.handlers:
            answer = await self._connect(session, request, query)
            if not isinstance(answer, dict):
                return answer  # the gateway's own refusal
        status = int(answer.get("statusCode", 200))
        if status != 200:
            log.info("refused station=%s connection=%s status=%s", session.station, session.connection_id, status)
            return conn.respond(status, str(answer.get("body") or ""))
        offered = [
            p.strip() for v in request.headers.get_all("Sec-WebSocket-Protocol") for p in v.split(",") if p.strip()
        ]
        chosen = _answer_header(answer, "Sec-WebSocket-Protocol")
        if (offered or chosen) and chosen not in offered:
            log.info("refused station=%s offered=%s selected=%s", session.station, offered, chosen)
            return conn.respond(400, "No supported subprotocol\n")
        session.subprotocol = chosen
        conn.session = session
        return None

    async def _connect(self, session: Session, request: Any, query: dict[str, list[str]]) -> Any:
        """The $connect handler's answer, or the gateway's 503/500 response when there is none in time."""
        conn = session.ws
        headers = list(request.headers.raw_items()) + [
            ("X-Amzn-Trace-Id", f"Root=1-{int(time.time()):08x}-{events.aws_id().encode().hex()[:24]}"),
            ("X-Forwarded-For", session.source_ip),
            ("X-Forwarded-Port", "443"),
            ("X-Forwarded-Proto", "https"),
        ]
        event = events.connect_event(session.context("$connect", "CONNECT"), headers, query)
        try:
            # on time-out a queued $connect is cancelled; a running one finishes (and stays pending) unanswered
            return await asyncio.wait_for(self._submit_connect(event), self.connect_budget) or {"statusCode": 200}
        except TimeoutError:
            self.admission.refuse(session.station, f"$connect not done within {self.connect_budget:g} s")
            return conn.respond(503, BUSY)
        except Exception:
            log.exception("$connect failed station=%s connection=%s", session.station, session.connection_id)
            return conn.respond(500, '{"message": "Internal server error"}')

    async def _serve_session(self, conn: FrontConnection) -> None:
        session = conn.session
        assert session is not None
        session.last_active = time.time()
        self.sessions[session.connection_id] = session
        log.info(
            "connect station=%s connection=%s subprotocol=%s ip=%s",
            session.station,
            session.connection_id,
            session.subprotocol,
            session.source_ip,
        )
        try:
            async for data in conn:
                session.last_active = time.time()
                if "$default" not in self.handlers:
                    continue
                event = events.message_event(session.context("$default", "MESSAGE"), data)
                try:
                    await self._invoke("$default", event)
                except Exception:
                    log.exception("$default failed station=%s connection=%s", session.station, session.connection_id)
                    await self._internal_error(conn, session, event)
        except ConnectionClosed:
            pass
        finally:
            self.sessions.pop(session.connection_id, None)
            code, reason = close_status(conn)
            log.info(
                "disconnect station=%s connection=%s code=%s reason=%r",
                session.station,
                session.connection_id,
                code,
                reason,
            )
            if "$disconnect" in self.handlers:
                event = events.disconnect_event(
                    session.context("$disconnect", "DISCONNECT"), session.host, code, reason
                )
                try:
                    await self._invoke("$disconnect", event)
                except Exception:
                    log.exception("$disconnect failed station=%s connection=%s", session.station, session.connection_id)

    async def _internal_error(self, conn: ServerConnection, session: Session, event: dict) -> None:
        # What API Gateway sends the client when the integration fails.
        body = {
            "message": "Internal server error",
            "connectionId": session.connection_id,
            "requestId": event["requestContext"]["requestId"],
        }
        try:
            await conn.send(json.dumps(body))
        except ConnectionClosed:
            pass

    def close_soon(self, session: Session, code: int, reason: str) -> None:
        if session.closing:
            return
        session.closing = True
        task = asyncio.get_running_loop().create_task(session.ws.close(code, reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _sweep(self) -> None:
        """API Gateway's idle time-out and maximum connection duration."""
        interval = max(0.02, min(self.idle_timeout, self.max_duration, 40.0) / 4)
        while True:
            await asyncio.sleep(interval)
            now = time.time()
            for session in list(self.sessions.values()):
                if now - session.last_active > self.idle_timeout or now - session.connected_at > self.max_duration:
                    self.close_soon(session, 1001, "Going away")


def _soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:  # the loop is closed: the gateway has stopped, nothing left to count
        pass


def _call(handler: Handler, event: dict, function_name: str) -> Any:
    return handler(event, lambda_context(function_name))
