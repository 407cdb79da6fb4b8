"""chalicelib.gateway's sender against the local gateway's @connections API, as a REST function would use it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from chalicelib import gateway as outbound
from chalicelib.settings import get_settings


@pytest.fixture
def sender(gateway, monkeypatch):
    # Given a function whose settings name the local gateway's API and stage
    monkeypatch.setenv("CSMS_WEBSOCKET_API_ID", "local-api")
    monkeypatch.setenv("CSMS_WEBSOCKET_STAGE", gateway.stage)
    get_settings.cache_clear()
    outbound.forget()
    yield outbound.sender()
    get_settings.cache_clear()
    outbound.forget()


async def _connection_id(ws) -> str:
    await ws.send("whoami")  # the echo app answers with the connection id
    return await ws.recv()


async def test_send_reaches_the_charger_and_info_describes_it(gateway, sender):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"], user_agent_header="charger/2.0") as ws:
        connection_id = await _connection_id(ws)
        # When
        await asyncio.to_thread(
            sender.send, connection_id, '[2,"c1","TriggerMessage",{"requestedMessage":"Heartbeat"}]'
        )
        # Then
        assert await ws.recv() == '[2,"c1","TriggerMessage",{"requestedMessage":"Heartbeat"}]'
        info = await asyncio.to_thread(sender.connection_info, connection_id)
    assert sender.endpoint_url == f"{gateway.management_endpoint}/{gateway.stage}"
    assert (info.connection_id, info.source_ip, info.user_agent) == (connection_id, "127.0.0.1", "charger/2.0")
    assert isinstance(info.connected_at, datetime) and info.connected_at <= info.last_active_at


async def test_close_ends_the_socket_and_the_charger_is_then_gone(gateway, sender):
    async with connect(gateway.url + "/CP1", subprotocols=["ocpp1.6"]) as ws:
        connection_id = await _connection_id(ws)
        # When
        await asyncio.to_thread(sender.close, connection_id)
        # Then
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    for call in (lambda: sender.send(connection_id, "late"), lambda: sender.connection_info(connection_id)):
        with pytest.raises(outbound.ChargerGone) as gone:
            await asyncio.to_thread(call)
        assert gone.value.connection_id == connection_id
