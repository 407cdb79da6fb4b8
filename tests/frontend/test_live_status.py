"""The dashboard follows a charger's status without a reload (polling): a real OCPP charger connects."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.frontend.browser import log_in
from tests.frontend.live_charger import LiveCharger

STATION = "EVI00000015"


def test_a_point_starts_charging_and_the_dashboard_shows_it_without_reloading(stack, page):
    log_in(page, stack, "acme-admin", stack.credentials()["acme-admin"])
    station = page.get_by_role("group", name=f"Charging station {STATION}")
    expect(station.get_by_role("img", name="Charging point 1: Offline")).to_be_visible()
    expect(page.get_by_test_id("figure-charging")).to_have_text("0")
    page.evaluate("() => { window.notReloaded = true; }")
    live = LiveCharger(f"ws://127.0.0.1:{stack.ws_port}/ocpp", STATION, status="Charging")
    try:
        live.start_and_wait()
        # Polling every 10 s: the icon and the totals change within two polls.
        expect(station.get_by_role("img", name="Charging point 1: Charging")).to_be_visible(timeout=25_000)
        expect(page.get_by_test_id("figure-charging")).to_have_text("1", timeout=25_000)
        assert page.evaluate("() => window.notReloaded === true")
    finally:
        live.stop()
