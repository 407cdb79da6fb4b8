"""The dashboard follows a charger's status without a reload (polling): a real OCPP charger connects."""

from __future__ import annotations

import asyncio
import threading

from playwright.sync_api import expect

from tests.frontend.browser import log_in
from tests.integration.chargers import call, charger

STATION = "EVI00000015"


class ChargerThread(threading.Thread):
    """A charger on its own event loop (Playwright's sync API owns the test's thread): boots, reports
    connector 1 as Charging, stays connected until `stop()`."""

    def __init__(self, ws_url: str) -> None:
        super().__init__(daemon=True)
        self.ws_url = ws_url
        self.reported = threading.Event()
        self.error: BaseException | None = None
        self._loop = asyncio.new_event_loop()
        self._done = asyncio.Event()

    def run(self) -> None:
        try:
            self._loop.run_until_complete(self._session())
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            self.error = exc
            self.reported.set()

    async def _session(self) -> None:
        async with charger(f"{self.ws_url}/{STATION}", STATION) as (cp, _ws):
            await cp.call(call.BootNotification(charge_point_vendor="Ensto", charge_point_model="EVF100"))
            await cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status="Charging"))
            self.reported.set()
            await self._done.wait()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._done.set)
        self.join(15)


def test_a_point_starts_charging_and_the_dashboard_shows_it_without_reloading(stack, page):
    log_in(page, stack, "acme-admin", stack.credentials()["acme-admin"])
    station = page.get_by_role("group", name=f"Charging station {STATION}")
    expect(station.get_by_role("img", name="Charging point 1: Offline")).to_be_visible()
    expect(page.get_by_test_id("figure-charging")).to_have_text("0")
    page.evaluate("() => { window.notReloaded = true; }")
    live = ChargerThread(f"ws://127.0.0.1:{stack.ws_port}/ocpp")
    live.start()
    try:
        assert live.reported.wait(30) and live.error is None, live.error
        # Polling every 10 s: the icon and the totals change within two polls.
        expect(station.get_by_role("img", name="Charging point 1: Charging")).to_be_visible(timeout=25_000)
        expect(page.get_by_test_id("figure-charging")).to_have_text("1", timeout=25_000)
        assert page.evaluate("() => window.notReloaded === true")
    finally:
        live.stop()
