"""Upgrades waiting for a $connect slot: answered 503 within their budget, and management never waits."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time

import boto3
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.devstack.conftest import seen

UPGRADE = (
    "GET /ocpp/{station} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Protocol: ocpp1.6\r\n\r\n"
)


async def timed_attempt(gateway, path: str) -> tuple[int, float]:
    started = time.monotonic()
    try:
        async with connect(f"{gateway.url}/{path}", subprotocols=["ocpp1.6"], open_timeout=10):
            status = 101
    except InvalidStatus as refused:
        status = refused.response.status_code
    return status, time.monotonic() - started


async def one_waiting_behind_a_slow_one(gateway) -> tuple[asyncio.Task, asyncio.StreamReader, asyncio.StreamWriter]:
    """CP1's $connect holds the only slot for 1 s; CP2's upgrade (a raw socket) waits behind it."""
    slow = asyncio.create_task(timed_attempt(gateway, "CP1?sleep=1"))
    await asyncio.sleep(0.2)
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(UPGRADE.format(station="CP2").encode())
    await asyncio.sleep(0.2)
    assert gateway.pending_connects == 2
    return slow, reader, writer


async def test_an_overload_is_answered_503_within_the_connect_budget(gateway_factory):
    # Given: one $connect at a time, 0.3 s each, and a budget of 1 s (0.75 s of it to wait for a slot)
    gateway = gateway_factory(connect_workers=1, connect_budget=1.0)

    # When: 12 chargers at once, 3.6 s of $connects
    results = await asyncio.gather(*(timed_attempt(gateway, f"CP{n}?sleep=0.3") for n in range(12)))

    # Then: those that got a slot in time connected, every other one was answered 503 within the budget
    statuses = [status for status, _ in results]
    assert set(statuses) == {101, 503} and 2 <= statuses.count(101) <= 4
    assert all(took < 1.0 + 0.5 for status, took in results if status == 503)
    # and a refused one never reached the handler: no work was done for it
    assert len(seen("CONNECT")) == statuses.count(101)
    assert gateway.refused_busy == statuses.count(503)
    await asyncio.sleep(0.4)
    assert gateway.pending_connects == 0


async def test_a_refused_upgrade_is_answered_from_its_raw_request_head(gateway_factory):
    # Given: one slot, taken for 1 s, and room for nothing else
    gateway = gateway_factory(connect_workers=1, max_pending_connects=1)
    slow = asyncio.create_task(timed_attempt(gateway, "CP1?sleep=1"))
    await asyncio.sleep(0.2)

    # When
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(UPGRADE.format(station="CP2").encode())
    answer = await asyncio.wait_for(reader.read(), 5)  # ends: the gateway closed the connection

    # Then: API Gateway's 503 text, the socket closed, and the admitted charger unaffected
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert answer.endswith(b'\r\n\r\n{"message": "Service Unavailable"}') and b"Connection: close" in answer
    assert (await slow)[0] == 101
    writer.close()


async def test_a_waiting_charger_that_leaves_gives_up_its_place(gateway_factory):
    # Given: the only slot taken for 1 s; a charger waits behind it
    gateway = gateway_factory(connect_workers=1)
    slow, reader, writer = await one_waiting_behind_a_slow_one(gateway)

    # When: it hangs up before its turn
    writer.close()
    await asyncio.sleep(0.2)

    # Then: it no longer waits, and never reaches the handler
    assert gateway.pending_connects == 1
    assert (await slow)[0] == 101
    assert [e["queryStringParameters"]["chargePointId"] for e in seen("CONNECT")] == ["CP1"]


async def test_management_requests_never_wait_behind_waiting_chargers(gateway_factory):
    # Given: a connected charger, then 40 upgrades waiting behind a slow $connect holding the only slot
    gateway = gateway_factory(connect_workers=1)
    client = boto3.client("apigatewaymanagementapi", endpoint_url=gateway.management_endpoint + "/local")
    async with connect(gateway.url + "/CP0", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("whoami")
        connection_id = await ws.recv()
        burst = [asyncio.create_task(timed_attempt(gateway, "CP1?sleep=2"))]
        await asyncio.sleep(0.1)
        burst += [asyncio.create_task(timed_attempt(gateway, f"CP{n}")) for n in range(2, 42)]
        await asyncio.sleep(0.3)
        assert gateway.pending_connects == 41

        # When: @connections requests over HTTP on the same port, as the REST side sends them
        started = time.monotonic()
        await asyncio.to_thread(client.post_to_connection, ConnectionId=connection_id, Data=b"from REST")
        received = await asyncio.wait_for(ws.recv(), 5)
        info = await asyncio.to_thread(client.get_connection, ConnectionId=connection_id)
        took = time.monotonic() - started

        # Then: answered at once, while the chargers still wait
        assert received == "from REST" and info["Identity"]["SourceIp"] == "127.0.0.1"
        assert took < 1.0
        assert gateway.pending_connects == 41
        statuses = [status for status, _ in await asyncio.gather(*burst)]
    assert statuses.count(101) == 41  # all waited (under the 6 s wait limit) and connected


async def test_stopping_answers_waiting_upgrades_503(gateway_factory):
    # Given: a charger waiting behind a slow $connect
    gateway = gateway_factory(connect_workers=1)
    slow, reader, writer = await one_waiting_behind_a_slow_one(gateway)

    # When
    await asyncio.to_thread(gateway.stop)

    # Then: the waiting one is told, not dropped
    answer = await asyncio.wait_for(reader.read(), 5)
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable") and b"Going away" in answer
    await slow
    writer.close()


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs iproute2's ss")
def test_the_listen_queue_holds_a_burst(gateway):
    # 1,000 chargers connect at once; asyncio's default listen queue (100) drops their SYNs (1-3 s retries).
    # ss shows a listening socket's queue limit as its Send-Q.
    lines = subprocess.run(
        ["ss", "-ltnH", f"sport = :{gateway.port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert lines[0] == "LISTEN" and int(lines[2]) >= 1024
