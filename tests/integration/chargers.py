"""A real charger on a real WebSocket: the `ocpp` library's client side."""

from __future__ import annotations

import asyncio
import base64
import contextlib

import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action


class Charger(ChargePoint):
    """Answers the CSMS's calls as a charger would; what it was asked is kept for the test to read."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.triggers: list[tuple[str, int | None]] = []  # (requested message, connector id)
        self.profiles: list[dict] = []  # SetChargingProfile requests: connector_id and cs_charging_profiles

    @on(Action.trigger_message)
    def on_trigger_message(self, requested_message, connector_id=None, **_):
        # A "stuck" charger: accepts, and then sends nothing (its meter or its firmware hangs).
        self.triggers.append((requested_message, connector_id))
        return call_result.TriggerMessage(status="Accepted")

    @on(Action.set_charging_profile)
    def on_set_charging_profile(self, connector_id, cs_charging_profiles, **_):
        self.profiles.append({"connector_id": connector_id, "cs_charging_profiles": cs_charging_profiles})
        return call_result.SetChargingProfile(status="Accepted")


@contextlib.asynccontextmanager
async def charger(url: str, station_id: str, headers: dict | None = None):
    async with websockets.connect(url, subprotocols=["ocpp1.6"], additional_headers=headers or {}) as ws:
        assert ws.subprotocol == "ocpp1.6"
        cp = Charger(station_id, ws, response_timeout=10)
        task = asyncio.create_task(cp.start())
        try:
            yield cp, ws
        finally:
            task.cancel()


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


__all__ = ["call", "charger", "basic"]
