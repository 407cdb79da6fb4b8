"""The bench's light WebSocket client (bench/ws_client.py) against the `websockets` library's server."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from websockets.asyncio.server import serve
from websockets.datastructures import Headers
from websockets.http11 import Response

from bench import ws_client


@contextlib.asynccontextmanager
async def server(handler, **kwargs):
    async with serve(handler, "127.0.0.1", 0, **kwargs) as running:
        yield f"ws://127.0.0.1:{running.sockets[0].getsockname()[1]}/ocpp/ACME/CP1"


async def echo(ws):
    async for message in ws:
        await ws.send(message)


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 10))


def test_messages_of_every_length_class_round_trip_masked():
    # Given: the websockets server, which refuses unmasked client frames (RFC 6455 5.1)
    async def scenario():
        async with server(echo, subprotocols=["ocpp1.6"]) as url:
            conn = await ws_client.connect(url, "ocpp1.6")
            answers = []
            for text in ("", "[2,\"1\",\"Heartbeat\",{}]", "é" * 100, "x" * 70_000):
                await conn.send(text)
                answers.append(await conn.recv())
            await conn.close()
            return conn.subprotocol, answers

    # When
    subprotocol, answers = run(scenario())

    # Then: 7-bit, 16-bit and 64-bit lengths, multi-byte UTF-8 and the empty message come back intact
    assert subprotocol == "ocpp1.6"
    assert answers == ["", "[2,\"1\",\"Heartbeat\",{}]", "é" * 100, "x" * 70_000]


def test_a_fragmented_message_is_joined_and_a_ping_is_answered():
    async def handler(ws):
        await ws.recv()
        pong = await ws.ping(b"are you there")
        await ws.send(["[3,", "\"7\",", "{}]"])  # three frames: text + two continuations
        await asyncio.wait_for(pong, 5)
        await ws.send("pong seen")

    async def scenario():
        async with server(handler, subprotocols=["ocpp1.6"]) as url:
            conn = await ws_client.connect(url, "ocpp1.6")
            await conn.send("go")
            first, second = await conn.recv(), await conn.recv()
            await conn.close()
            return first, second

    assert run(scenario()) == ("[3,\"7\",{}]", "pong seen")


def test_a_refused_upgrade_raises_with_its_status_and_body():
    def busy(connection, request):
        return Response(503, "Service Unavailable", Headers([("Content-Length", "35")]),
                        b'{"message": "Service Unavailable"}\n')

    async def scenario():
        async with server(echo, process_request=busy) as url:
            await ws_client.connect(url, "ocpp1.6")

    with pytest.raises(ws_client.Refused, match="503") as refused:
        run(scenario())
    assert refused.value.status == 503
    assert "Service Unavailable" in str(refused.value)


def test_a_server_that_ignores_the_subprotocol_fails_the_handshake():
    async def scenario():
        async with server(echo) as url:  # selects no subprotocol
            await ws_client.connect(url, "ocpp1.6")

    with pytest.raises(ws_client.HandshakeFailed, match="subprotocol None instead of 'ocpp1.6'"):
        run(scenario())


def test_the_servers_close_code_reaches_the_reader():
    async def handler(ws):
        await ws.close(1001, "Going away")

    async def scenario():
        async with server(handler, subprotocols=["ocpp1.6"]) as url:
            conn = await ws_client.connect(url, "ocpp1.6")
            await conn.recv()

    with pytest.raises(ws_client.Closed, match="1001 Going away") as closed:
        run(scenario())
    assert closed.value.code == 1001


def test_the_accept_key_is_the_rfc_example():
    assert ws_client.accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
