"""Silent stations through the local stack (ADR 0022): the minute job asks the gateway, closes a silent socket."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from chalicelib import clock
from chalicelib.jobs import silent_stations
from chalicelib.jobs.runner import Tick
from chalicelib.ports.registry import store


def _run(at) -> dict:
    return dict(silent_stations.run(Tick(at, at)))


async def test_a_silent_charger_is_disconnected_and_its_socket_closed_by_the_gateway(stack):
    async with websockets.connect(f"{stack.ws_url}/EVI00000015", subprotocols=["ocpp1.6"]) as ws:
        await ws.send(json.dumps([2, "boot", "BootNotification", {"chargePointModel": "M", "chargePointVendor": "V"}]))
        assert json.loads(await ws.recv())[:2] == [3, "boot"]
        # Given the charger connected just now: nothing is due, the gateway is not asked
        now = clock.now()
        assert await asyncio.to_thread(_run, now) == {}
        # When the job runs as if 3 hours had passed (the gateway's LastActiveAt: just now)
        later = now + timedelta(hours=3)
        assert await asyncio.to_thread(_run, later) == {"silent": 1}
        # Then the gateway closed the charger's socket (DELETE @connections)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    # And the station is disconnected, its connection cleared, nothing left to check
    assert store().connections.current("ACME", "EVI00000015") is None
    assert store().stations.get("ACME", "EVI00000015").connected is False
    assert await asyncio.to_thread(_run, later) == {}
