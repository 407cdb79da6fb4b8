"""The local gateway against API Gateway's WebSocket behaviour, with the echo app behind it."""

from __future__ import annotations

import asyncio
import json

import boto3
import pytest
from botocore.exceptions import ClientError
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.devstack import echo_app
from tests.devstack.conftest import seen


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/CP1", {"chargePointId": "CP1"}),
        ("/acme/CP1", {"organization": "acme", "chargePointId": "CP1"}),
        ("?chargePointId=CP1&organization=acme", {"chargePointId": "CP1", "organization": "acme"}),
    ],
)
async def test_url_forms_reach_connect_as_query_string(gateway, path, query):
    # When
    async with connect(gateway.url + path, subprotocols=["ocpp1.6"]):
        pass
    # Then
    event = seen("CONNECT")[0]
    assert event["queryStringParameters"] == query
    assert event["multiValueQueryStringParameters"] == {k: [v] for k, v in query.items()}
    context = event["requestContext"]
    assert context["routeKey"] == "$connect" and context["stage"] == "local"
    assert context["connectionId"].endswith("=") and len(context["connectionId"]) == 16
    assert event["headers"]["Sec-WebSocket-Protocol"] == "ocpp1.6"
    assert event["isBase64Encoded"] is False


async def test_other_paths_are_refused_with_404(gateway):
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"ws://127.0.0.1:{gateway.port}/chat/CP1"):
            pass
    assert refused.value.response.status_code == 404
    assert seen("CONNECT") == []


async def test_authorization_header_reaches_connect(gateway):
    async with connect(
        gateway.url + "/CP1", subprotocols=["ocpp1.6"], additional_headers={"Authorization": "Basic Q1AxOnNlY3JldA=="}
    ):
        pass
    assert seen("CONNECT")[0]["headers"]["Authorization"] == "Basic Q1AxOnNlY3JldA=="


async def test_subprotocol_selected_by_connect_answer(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp2.0.1", "ocpp1.6"]) as ws:
        assert ws.subprotocol == "ocpp1.6"


async def test_refused_when_no_offered_subprotocol_is_selected(gateway):
    with pytest.raises(InvalidStatus) as refused:
        async with connect(gateway.url + "/CP1", subprotocols=["ocpp2.0.1"]):
            pass
    assert refused.value.response.status_code == 400


@pytest.mark.parametrize("status", [401, 403, 404])
async def test_connect_answer_other_than_200_refuses_with_its_status(gateway, status):
    with pytest.raises(InvalidStatus) as refused:
        async with connect(gateway.url + f"/CP1?status={status}", subprotocols=["ocpp1.6"]):
            pass
    assert refused.value.response.status_code == status
    assert seen("DISCONNECT") == []  # API Gateway sends no $disconnect for a refused $connect


async def test_frames_travel_through_message_handler_and_post_in_order(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        for n in range(20):
            await ws.send(f"frame {n}")
        answers = [await ws.recv() for _ in range(20)]
    assert answers == [f"frame {n}" for n in range(20)]
    event = seen("MESSAGE")[0]
    assert event["requestContext"]["routeKey"] == "$default"
    assert event["requestContext"]["messageId"]
    assert event["body"] == "frame 0" and event["isBase64Encoded"] is False


async def test_binary_frame_arrives_base64_encoded(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send(b"\x00\xff")
        assert json.loads(await ws.recv()) == {"binary": "AP8="}


async def test_get_connection_answers_times_and_identity(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"], user_agent_header="charger/1.0") as ws:
        await ws.send("info")
        info = json.loads(await ws.recv())
    assert set(info) == {"ConnectedAt", "LastActiveAt", "Identity"}
    assert "'SourceIp': '127.0.0.1'" in info["Identity"] and "charger/1.0" in info["Identity"]
    assert info["LastActiveAt"] >= info["ConnectedAt"]


async def test_delete_connection_closes_the_socket(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("close")
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    await asyncio.to_thread(echo_app.DISCONNECTED.wait, 5)
    assert seen("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"] == 1000


async def test_post_to_unknown_connection_is_gone(gateway):
    # Given: the app's sender (chalice turns GoneException into WebsocketDisconnectedError)
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("send-to:AAAAAAAAAAAAAAA=")
        assert await ws.recv() == "gone"
    # And botocore itself, as any Lambda would call it
    client = boto3.client("apigatewaymanagementapi", endpoint_url=gateway.management_endpoint + "/local")
    with pytest.raises(client.exceptions.GoneException):
        await asyncio.to_thread(client.post_to_connection, ConnectionId="AAAAAAAAAAAAAAA=", Data=b"x")


async def test_post_from_another_lambda_reaches_the_charger(gateway):
    client = boto3.client("apigatewaymanagementapi", endpoint_url=gateway.management_endpoint + "/local")
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("whoami")
        connection_id = await ws.recv()
        await asyncio.to_thread(client.post_to_connection, ConnectionId=connection_id, Data=b'[2,"9","Reset",{}]')
        assert await ws.recv() == '[2,"9","Reset",{}]'
        info = await asyncio.to_thread(client.get_connection, ConnectionId=connection_id)
        assert info["Identity"]["SourceIp"] == "127.0.0.1"
    with pytest.raises(ClientError):  # wrong stage
        bad = boto3.client("apigatewaymanagementapi", endpoint_url=gateway.management_endpoint + "/prod")
        await asyncio.to_thread(bad.get_connection, ConnectionId=connection_id)


async def test_disconnect_event_carries_close_code_and_reason(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.close(4000, "rebooting")
    await asyncio.to_thread(echo_app.DISCONNECTED.wait, 5)
    event = seen("DISCONNECT")[0]
    context = event["requestContext"]
    assert context["routeKey"] == "$disconnect"
    assert (context["disconnectStatusCode"], context["disconnectReason"]) == (4000, "rebooting")
    assert context["connectionId"] == seen("CONNECT")[0]["requestContext"]["connectionId"]


async def test_frame_over_32_kb_closes_with_1009(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"], max_size=None) as ws:
        await ws.send("x" * (32 * 1024))
        assert len(await ws.recv()) == 32 * 1024
        await ws.send("x" * (32 * 1024 + 1))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 1009


async def test_failing_handler_answers_internal_server_error(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("boom")
        answer = json.loads(await ws.recv())
    assert answer["message"] == "Internal server error" and answer["connectionId"]


async def test_idle_connection_is_closed_going_away(gateway_factory):
    gateway = gateway_factory(idle_timeout=0.3)
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd.code == 1001


async def test_stop_sends_disconnect_for_open_connections(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await asyncio.to_thread(gateway.stop)
        with pytest.raises(ConnectionClosed):
            await ws.recv()
    assert seen("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"] == 1001


async def test_management_api_reads_bodies_sent_after_100_continue(gateway):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        await ws.send("whoami")
        connection_id = await ws.recv()
        reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
        head = f"POST /local/@connections/{connection_id.replace('=', '%3D')} HTTP/1.1\r\nHost: x\r\n"
        writer.write((head + "Content-Length: 5\r\nExpect: 100-continue\r\n\r\n").encode())
        assert await reader.readuntil(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        writer.write(b"he")
        await asyncio.sleep(0.01)
        writer.write(b"llo")
        assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200 OK")
        assert await ws.recv() == "hello"
        writer.close()


@pytest.mark.parametrize(
    ("length", "status", "message"),
    [
        ("-100", b"400 Bad Request", b"Invalid Content-Length: '-100'"),
        ("ten", b"400 Bad Request", b"Invalid Content-Length: 'ten'"),
        ("+5", b"400 Bad Request", b"Invalid Content-Length: '+5'"),
        ("999999999999999999999", b"413 Payload Too Large", b"Message too long"),
        (str(200 * 1024), b"413 Payload Too Large", b"Message too long"),
    ],
)
async def test_management_request_with_unreadable_length_is_refused_and_closed(gateway, length, status, message):
    # Given
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    # When
    writer.write(f"POST /local/@connections/abc HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
    answer = await asyncio.wait_for(reader.read(), 5)  # read() ends only when the gateway closes
    # Then: refused, closed, and chargers still connect
    assert answer.startswith(b"HTTP/1.1 " + status) and message in answer and b"Connection: close" in answer
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"], open_timeout=5) as ws:
        await ws.send("ping")
        assert await ws.recv() == "ping"
    writer.close()


async def test_request_head_without_end_is_cut_at_64_kb(gateway):
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(b"GET /local/@connections/abc HTTP/1.1\r\nX-Filler: " + b"a" * (70 * 1024))
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()


async def test_connects_beyond_the_pending_limit_are_answered_503_at_once(gateway_factory):
    # Given: $connect takes 0.5 s and at most 2 may be pending
    gateway = gateway_factory(max_pending_connects=2)

    async def attempt(n: int) -> tuple[int, float]:
        started = asyncio.get_running_loop().time()
        try:
            async with connect(f"{gateway.url}/CP{n}?sleep=0.5", subprotocols=["ocpp1.6"], open_timeout=5):
                status = 101
        except InvalidStatus as refused:
            status = refused.response.status_code
        return status, asyncio.get_running_loop().time() - started

    # When: a burst of 6
    results = await asyncio.gather(*(attempt(n) for n in range(6)))

    # Then: 2 connected, 4 refused with 503 without waiting for the slow ones; none hung
    assert sorted(status for status, _ in results) == [101, 101, 503, 503, 503, 503]
    assert all(took < 0.4 for status, took in results if status == 503)
    assert gateway.refused_busy == 4 and len(seen("CONNECT")) == 2


async def test_connect_slower_than_its_budget_is_answered_503_not_dropped(gateway_factory):
    # Given: $connect takes 1 s, the gateway waits 0.3 s for it
    gateway = gateway_factory(connect_budget=0.3)
    started = asyncio.get_running_loop().time()

    # When
    with pytest.raises(InvalidStatus) as refused:
        async with connect(f"{gateway.url}/CP1?sleep=1", subprotocols=["ocpp1.6"], open_timeout=5):
            pass

    # Then: a 503 after the budget (not a closed socket), and the handler still counted until it returned
    assert refused.value.response.status_code == 503
    assert asyncio.get_running_loop().time() - started < 0.9
    assert gateway.pending_connects == 1
    await asyncio.sleep(1)
    assert gateway.pending_connects == 0


async def test_queued_connect_past_its_budget_is_cancelled_before_it_runs(gateway_factory):
    # Given: one $connect at a time, each taking 1 s, a budget of 0.3 s
    gateway = gateway_factory(connect_workers=1, connect_budget=0.3)

    async def attempt(n: int) -> int:
        try:
            async with connect(f"{gateway.url}/CP{n}?sleep=1", subprotocols=["ocpp1.6"], open_timeout=5):
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    # When: two at once; the second waits behind the first
    statuses = await asyncio.gather(attempt(1), attempt(2))
    await asyncio.sleep(1.2)

    # Then: both answered 503 after the budget, and only the first ever reached the handler
    assert statuses == [503, 503]
    assert [e["queryStringParameters"]["chargePointId"] for e in seen("CONNECT")] == ["CP1"]
    assert gateway.pending_connects == 0


async def test_upgrades_beyond_the_free_slots_wait_and_connect_in_arrival_order(gateway_factory):
    # Given: one $connect at a time, 0.5 s each; the second waits 0.5 s for the first to finish
    gateway = gateway_factory(connect_workers=1)
    first = asyncio.create_task(attempt_status(gateway, "CP1?sleep=0.5"))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(attempt_status(gateway, "CP2?sleep=0.5"))
    await asyncio.sleep(0.7)

    # When: a third while the second runs (the queue stands)
    third = await attempt_status(gateway, "CP3")

    # Then: nobody refused; each waited for a slot and the handler saw them in arrival order
    assert (await first, await second, third) == (101, 101, 101)
    assert gateway.refused_busy == 0
    assert [e["queryStringParameters"]["chargePointId"] for e in seen("CONNECT")] == ["CP1", "CP2", "CP3"]


async def attempt_status(gateway, path: str) -> int:
    try:
        async with connect(f"{gateway.url}/{path}", subprotocols=["ocpp1.6"], open_timeout=5):
            return 101
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_app_answers_reach_chargers_in_process_with_api_gateway_errors_kept(gateway):
    # Given: the app's @connections client sends in process (what the local stack sets up)
    websocket_api = echo_app.app.websocket_api
    websocket_api.configure_from_api_id(gateway.api, gateway.stage)
    gateway.send_in_process(websocket_api._get_client())

    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        # When
        await ws.send("whoami")
        me = await asyncio.wait_for(ws.recv(), 5)
        await ws.send("send-to:L0SM9cOFvHcCIhw=")
        gone = await asyncio.wait_for(ws.recv(), 5)
        await ws.send("info")
        info = json.loads(await asyncio.wait_for(ws.recv(), 5))

    # Then: answered as over HTTP (GoneException included), and no management connection was opened
    assert me == seen("CONNECT")[0]["requestContext"]["connectionId"]
    assert gone == "gone"
    assert "ConnectedAt" in info and "Identity" in info
    assert not [front for front in gateway.fronts if front.mode == "http"]


async def test_a_flood_of_pipelined_management_requests_is_cut_off(gateway):
    reader, writer = await asyncio.open_connection("127.0.0.1", gateway.port)
    writer.write(b"GET /local/@connections/abc HTTP/1.1\r\nHost: x\r\n\r\n" * 5000)
    answers = b""
    try:
        answers = await asyncio.wait_for(reader.read(), 5)  # ends: the gateway closed the connection
    except ConnectionResetError:  # closed with requests still unread
        pass
    assert answers.count(b"HTTP/1.1 410 Gone") < 5000
    writer.close()
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"], open_timeout=5) as ws:
        await ws.send("ping")
        assert await ws.recv() == "ping"
