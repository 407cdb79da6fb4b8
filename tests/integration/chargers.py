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
    """Answers every CSMS call of OCPP 1.6 core, reservation, smart charging, local list and remote trigger.

    Each call is kept in `received` as (action, snake_case request); `statuses` may change an answer's status.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.received: list[tuple[str, dict]] = []
        self.statuses: dict[str, str] = {}
        self.local_list_version = 0

    def _got(self, action: str, request: dict, default: str = "Accepted") -> str:
        self.received.append((action, request))
        return self.statuses.get(action, default)

    @on(Action.reset)
    def on_reset(self, **request):
        return call_result.Reset(status=self._got("Reset", request))

    @on(Action.unlock_connector)
    def on_unlock_connector(self, **request):
        return call_result.UnlockConnector(status=self._got("UnlockConnector", request, "Unlocked"))

    @on(Action.remote_start_transaction)
    def on_remote_start(self, **request):
        return call_result.RemoteStartTransaction(status=self._got("RemoteStartTransaction", request))

    @on(Action.remote_stop_transaction)
    def on_remote_stop(self, **request):
        return call_result.RemoteStopTransaction(status=self._got("RemoteStopTransaction", request))

    @on(Action.change_availability)
    def on_change_availability(self, **request):
        return call_result.ChangeAvailability(status=self._got("ChangeAvailability", request))

    @on(Action.clear_cache)
    def on_clear_cache(self, **request):
        return call_result.ClearCache(status=self._got("ClearCache", request))

    @on(Action.trigger_message)
    def on_trigger_message(self, **request):
        return call_result.TriggerMessage(status=self._got("TriggerMessage", request))

    @on(Action.data_transfer)
    def on_data_transfer(self, **request):
        return call_result.DataTransfer(status=self._got("DataTransfer", request), data="pong")

    @on(Action.reserve_now)
    def on_reserve_now(self, **request):
        return call_result.ReserveNow(status=self._got("ReserveNow", request))

    @on(Action.cancel_reservation)
    def on_cancel_reservation(self, **request):
        return call_result.CancelReservation(status=self._got("CancelReservation", request))

    @on(Action.set_charging_profile)
    def on_set_charging_profile(self, **request):
        return call_result.SetChargingProfile(status=self._got("SetChargingProfile", request))

    @on(Action.clear_charging_profile)
    def on_clear_charging_profile(self, **request):
        return call_result.ClearChargingProfile(status=self._got("ClearChargingProfile", request))

    @on(Action.get_composite_schedule)
    def on_get_composite_schedule(self, **request):
        status = self._got("GetCompositeSchedule", request)
        return call_result.GetCompositeSchedule(status=status, connector_id=request["connector_id"])

    @on(Action.send_local_list)
    def on_send_local_list(self, **request):
        self.local_list_version = request["list_version"]
        return call_result.SendLocalList(status=self._got("SendLocalList", request))

    @on(Action.get_local_list_version)
    def on_get_local_list_version(self, **request):
        self._got("GetLocalListVersion", request)
        return call_result.GetLocalListVersion(list_version=self.local_list_version)


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
