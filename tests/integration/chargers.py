"""A real charger on a real WebSocket: the `ocpp` library's client side."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import urllib.request

import websockets
from ocpp.routing import after, on
from ocpp.v16 import ChargePoint, call, call_result
from ocpp.v16.enums import Action


class FirmwareAndDiagnostics:
    """What a charger does with UpdateFirmware and GetDiagnostics: download or upload over HTTP, then report.

    The downloaded firmware is kept in `firmware`; `diagnostics` is the file it uploads (None: it has none).
    """

    firmware: bytes | None = None
    diagnostics: bytes | None = b"diagnostics log of a test charger\n"

    @on(Action.update_firmware)
    def on_update_firmware(self, location: str, retrieve_date: str, **_options):
        return call_result.UpdateFirmware()

    @after(Action.update_firmware)
    async def download_and_install(self, location: str, retrieve_date: str, **_options):
        await self.call(call.FirmwareStatusNotification(status="Downloading"))
        self.firmware = await asyncio.to_thread(_get, location)
        for status in ("Downloaded", "Installing", "Installed"):
            await self.call(call.FirmwareStatusNotification(status=status))

    @on(Action.get_diagnostics)
    def on_get_diagnostics(self, location: str, **_options):
        return call_result.GetDiagnostics(file_name=f"{self.id}-diagnostics.txt" if self.diagnostics else None)

    @after(Action.get_diagnostics)
    async def upload(self, location: str, **_options):
        if self.diagnostics is None:
            return
        await self.call(call.DiagnosticsStatusNotification(status="Uploading"))
        status = await asyncio.to_thread(_put, location, self.diagnostics)
        await self.call(call.DiagnosticsStatusNotification(status="Uploaded" if status == 200 else "UploadFailed"))


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the URL the CSMS gave)
        return answer.read()


def _put(url: str, data: bytes) -> int:
    request = urllib.request.Request(url, data=data, method="PUT", headers={"Content-Type": "text/plain"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.status


class Charger(FirmwareAndDiagnostics, ChargePoint):
    pass


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
