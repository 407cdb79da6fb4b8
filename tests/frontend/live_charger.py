"""A real OCPP charger for the browser tests, on its own thread and event loop (Playwright's sync API
owns the test's thread): it boots, reports connector 1, answers the CSMS until `stop()`, and `send`
makes it call the CSMS from the test's thread."""

from __future__ import annotations

import asyncio
import threading

from tests.integration.chargers import Charger, call, charger


class LiveCharger(threading.Thread):
    def __init__(self, ws_url: str, station_id: str, status: str = "Available", charger_class: type[Charger] = Charger) -> None:
        super().__init__(daemon=True)
        self.url, self.station_id, self.status, self.charger_class = f"{ws_url}/{station_id}", station_id, status, charger_class
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self.cp: Charger | None = None
        self._loop = asyncio.new_event_loop()
        self._done = asyncio.Event()

    def run(self) -> None:
        try:
            self._loop.run_until_complete(self._session())
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            self.error = exc
            self.ready.set()

    async def _session(self) -> None:
        async with charger(self.url, self.station_id, charger_class=self.charger_class) as (cp, _ws):
            self.cp = cp
            await cp.call(call.BootNotification(charge_point_vendor="Ensto", charge_point_model="EVF100"))
            await cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status=self.status))
            self.ready.set()
            await self._done.wait()

    def start_and_wait(self, timeout: float = 30) -> Charger:
        """Start, and return the charger once it has booted and reported (raise what stopped it)."""
        self.start()
        assert self.ready.wait(timeout) and self.error is None, self.error
        return self.cp

    def send(self, message) -> None:
        asyncio.run_coroutine_threadsafe(self.cp.call(message), self._loop).result(15)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._done.set)
        self.join(15)
