"""A real charger on a real WebSocket: the `ocpp` library's client side."""

from __future__ import annotations

import asyncio
import base64
import contextlib

import websockets
from ocpp.v16 import ChargePoint, call


class Charger(ChargePoint):
    pass


@contextlib.asynccontextmanager
async def charger(url: str, station_id: str, headers: dict | None = None, charger_class: type[Charger] = Charger):
    async with websockets.connect(url, subprotocols=["ocpp1.6"], additional_headers=headers or {}) as ws:
        assert ws.subprotocol == "ocpp1.6"
        cp = charger_class(station_id, ws, response_timeout=10)
        task = asyncio.create_task(cp.start())
        try:
            yield cp, ws
        finally:
            task.cancel()


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


__all__ = ["Charger", "call", "charger", "basic"]
