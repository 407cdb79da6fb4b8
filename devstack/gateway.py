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

from websockets.asyncio.server import Server, ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.protocol import OPEN
from websockets.server import ServerProtocol

from devstack import events, management
from devstack.admission import REFUSE, START, Admission
from devstack.connection import Front, Upgrade, close_status
from devstack.edge import query_parameters
from devstack.handlers import Handler, lambda_context
from devstack.session import Session

log = logging.getLogger("devstack.gateway")

FRAME_LIMIT = 32 * 1024  # API Gateway closes with 1009 above this
MESSAGE_LIMIT = 128 * 1024
IDLE_TIMEOUT = 600.0
MAX_DURATION = 7200.0
CONNECT_BUDGET = 8.0  # seconds from an upgrade's request head to its answer, 503 if need be (clients give up at ~10)
CONNECT_WORKERS = 8  # $connects running at once (devstack/admission.py); more only share the same cores
WAIT_SHARE = 0.75  # of the budget an upgrade may wait for a $connect slot; its $connect gets the rest (2 s)
MAX_PENDING = 2048  # upgrades started or waiting; beyond, answered 503 at once
BACKLOG = 2048  # the listen queue: chargers of a burst not accepted yet are queued by the kernel, not reset


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
        max_pending_connects: int = MAX_PENDING,
        connect_budget: float = CONNECT_BUDGET,
        connect_workers: int = CONNECT_WORKERS,
        wait_limit: float | None = None,
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
        # $connects running, and upgrades waiting for a slot (answered 503 after wait_limit)
        wait = connect_budget * WAIT_SHARE if wait_limit is None else wait_limit
        self.admission = Admission(connect_workers, max_pending_connects, wait)
        self.connect_budget = connect_budget
        self._expiry: asyncio.TimerHandle | None = None
        self._server: Server | None = None
        self.switch_interval = switch_interval
        self._saved_switch_interval: float | None = None
        self.sock = sock or socket.create_server((host, port))
        self.host, self.port = self.sock.getsockname()[:2]
        self.sessions: dict[str, Session] = {}
        self.fronts: set[Front] = set()
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

    # --- admission of upgrades (devstack/admission.py), on the loop ------------------------------
    def upgrade(self, front: Front) -> None:
        """A charger's upgrade head is read: started now, left waiting for a slot, or answered 503."""
        front.arrived = self.admission.clock()
        if "$connect" not in self.handlers:
            self._start(front, None)
            return
        verdict = self.admission.offer(front)
        if verdict == START:
            self._start(front, "held")
        elif verdict == REFUSE:
            self._refuse(front, "queue full")
        else:
            self._arm_expiry()

    def upgrade_gone(self, front: Front) -> None:
        self.admission.leave(front)

    def connect_over(self, upgrade: Upgrade) -> None:
        """The handshake is over: a slot not handed to a $connect (404, bad request) is free again."""
        if upgrade.slot == "held":
            self._release(upgrade)

    def _release(self, upgrade: Upgrade) -> None:
        if upgrade.slot is None:
            return
        upgrade.slot = None
        self._refuse_expired()
        front = self.admission.release()
        if front is not None:
            self._start(front, "held")

    def _start(self, front: Front, slot: str | None) -> None:
        """Build the websockets connection (only now) and hand the socket over to it."""
        assert self._server is not None
        upgrade: Upgrade

        def subprotocol(protocol: ServerProtocol, offered: Any) -> str | None:
            return upgrade.session.subprotocol if upgrade.session else None

        protocol = ServerProtocol(
            select_subprotocol=subprotocol,
            max_size=(self.message_limit, self.frame_limit),
            logger=self._server.logger,
        )
        deadline = front.arrived + self.connect_budget
        upgrade = Upgrade(protocol, self._server, gateway=self, deadline=deadline, ping_interval=None)
        upgrade.slot = slot
        front.hand_over(upgrade)

    def _refuse(self, front: Front, why: str) -> None:
        query = query_parameters(front.request_line.split(" ")[1] if " " in front.request_line else "") or {}
        self.admission.refuse((query.get("chargePointId") or ["?"])[-1], why)
        front.refuse(503, "Service Unavailable")

    def _refuse_expired(self) -> None:
        for front in self.admission.expired():
            self._refuse(front, f"no $connect slot within {self.admission.wait_limit:g} s")  # type: ignore[arg-type]

    def _expire(self) -> None:
        self._expiry = None
        self._refuse_expired()
        self._arm_expiry()

    def _arm_expiry(self) -> None:
        """One timer, for the first waiting upgrade (it may fire early: that one started meanwhile)."""
        due = self.admission.next_due()
        if due is not None and self._expiry is None:
            delay = max(0.0, due - self.admission.clock())
            self._expiry = asyncio.get_running_loop().call_later(delay, self._expire)

    def spawn(self, work: Any) -> None:
        """Run a task the gateway waits for when it stops (a management connection's requests)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
        loop = asyncio.get_running_loop()
        try:
            # websockets' Server (close with 1001, wait for handlers) over an asyncio server whose
            # connections start as a light `Front`: websockets objects are built for admitted upgrades only
            server = self._server = await Server(
                lambda: loop.create_server(lambda: Front(self), sock=self.sock, backlog=BACKLOG), self._handle
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
            if front.mode == "upgrade":  # still waiting for a $connect slot
                self.admission.leave(front)
                front.refuse(503, "Going away")
            else:
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

    def _submit_connect(self, conn: Upgrade, event: dict) -> asyncio.Future:
        """Run a $connect in the slot `conn` holds; the slot is free again when its handler returns."""
        loop = asyncio.get_running_loop()
        work = self._connect_executor.submit(self._call("$connect", event))
        conn.slot = "connect"
        work.add_done_callback(lambda _: _soon(loop, functools.partial(self._release, conn)))
        return asyncio.wrap_future(work)

    async def _handle(self, conn: Upgrade) -> None:
        """One admitted upgrade's life, as websockets' own `serve` runs it: handshake, then the session."""
        assert self._server is not None
        try:
            await conn.handshake(self._process_request, None, None)
            if conn.protocol.state is not OPEN:
                conn.transport.abort()
                return
            self._server.all_connections.add(conn)
            try:
                async with conn:
                    await self._serve_session(conn)
            except Exception:
                log.exception("connection handler failed")
            finally:
                self._server.all_connections.discard(conn)
        except Exception:  # a handshake timed out or failed: never leak the socket
            conn.transport.abort()
        finally:
            self._server.handler_tasks.discard(asyncio.current_task())  # type: ignore[arg-type]

    async def _process_request(self, conn: Upgrade, request: Any) -> Any:
        query = query_parameters(request.path)
        if query is None:
            return conn.respond(404, "Not Found\n")
        station = (query.get("chargePointId") or ["?"])[-1]
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
        conn: Upgrade = session.ws  # type: ignore[assignment]
        headers = list(request.headers.raw_items()) + [
            ("X-Amzn-Trace-Id", f"Root=1-{int(time.time()):08x}-{events.aws_id().encode().hex()[:24]}"),
            ("X-Forwarded-For", session.source_ip),
            ("X-Forwarded-Port", "443"),
            ("X-Forwarded-Proto", "https"),
        ]
        event = events.connect_event(session.context("$connect", "CONNECT"), headers, query)
        budget = max(0.0, conn.deadline - self.admission.clock())
        try:
            # on time-out the $connect finishes (and keeps its slot) unanswered
            return await asyncio.wait_for(self._submit_connect(conn, event), budget) or {"statusCode": 200}
        except TimeoutError:
            self.admission.refuse(session.station, f"$connect not done within {self.connect_budget:g} s of the upgrade")
            return conn.respond(503, BUSY)
        except Exception:
            log.exception("$connect failed station=%s connection=%s", session.station, session.connection_id)
            return conn.respond(500, '{"message": "Internal server error"}')

    async def _serve_session(self, conn: Upgrade) -> None:
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
