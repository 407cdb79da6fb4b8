"""Charging stations in a real browser against the local stack: add one (and the manual's duplicate error),
edit its basic settings, the advanced settings of a real connected charger (refresh, search, change a key,
the manual's error when the charger refuses), and a charging point's status followed live."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.frontend.browser import assert_accessible, log_in, screenshot
from tests.frontend.live_charger import LiveCharger
from tests.integration.chargers import call
from tests.integration.test_configuration import ConfigurableCharger

NEW_STATION = "acme-043211"


def accessible_when_still(page) -> None:
    """axe once the dialogs' opening transitions have ended (a half-faded button fails the contrast rule)."""
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    assert_accessible(page)


def as_admin(page, stack) -> None:
    log_in(page, stack, "acme-admin", stack.credentials()["acme-admin"])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def open_station(page, stack, station_id: str, tab: str) -> None:
    page.goto(f"{stack.url}/#/station?id={station_id}&tab={tab}")
    expect(page.get_by_role("tab", selected=True)).to_be_visible()


def add_station(page, identifier: str, name: str) -> None:
    page.get_by_role("button", name="ADD CHARGING STATION").click()
    dialog = page.get_by_role("dialog", name="Add new charging station")
    dialog.get_by_label("CHARGING STATION NAME").fill(name)
    dialog.get_by_label("IDENTIFIER").fill(identifier)
    pine = dialog.locator("option", has_text="ACME Pine Mall").get_attribute("value")
    dialog.get_by_label("PARENT GROUP").select_option(pine)
    dialog.get_by_role("button", name="SAVE CHANGES").click()


def test_admin_adds_a_station_sees_it_in_the_list_and_opens_it(stack, page):
    as_admin(page, stack)
    page.get_by_role("navigation", name="Main menu").get_by_text("Charging stations", exact=True).click()
    table = page.get_by_role("table", name="Charging stations")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Charging station name", "Identifier", "Charging group", "Charging points", "Firmware", "Actions"])
    expect(table.get_by_role("row")).to_have_count(7)  # the header and the 6 demo stations
    accessible_when_still(page)
    screenshot(page, "stations")
    page.get_by_role("button", name="ADD CHARGING STATION").click()
    expect(page.get_by_role("dialog", name="Add new charging station")).to_be_visible()
    accessible_when_still(page)
    page.get_by_role("button", name="CANCEL").click()
    add_station(page, NEW_STATION, "Pine Mall entry")
    expect(page.get_by_role("dialog")).to_have_count(0)
    row = table.get_by_role("row", name=re.compile(f"^Pine Mall entry {NEW_STATION} ACME Pine Mall 1 "))
    expect(row).to_be_visible()
    # The identifier is unique in the organization: the manual's error, in the dialog.
    add_station(page, NEW_STATION, "Another entry")
    expect(page.get_by_role("dialog").get_by_role("alert")).to_have_text("Charging station already exists for that identifier.")
    page.get_by_role("button", name="CANCEL").click()
    row.get_by_role("link", name="Pine Mall entry", exact=True).click()
    expect(page.get_by_role("tab", name="Basic settings", selected=True)).to_be_visible()
    expect(page.get_by_label("IDENTIFIER")).to_have_value(NEW_STATION)
    expect(page.get_by_label("PARENT GROUP")).to_have_value(re.compile(".+"))
    # Deleted, it becomes an orphan: back on the list, only the orphans filter shows it.
    page.get_by_role("button", name="DELETE CHARGING STATION").click()
    page.get_by_role("dialog", name="Delete this station").get_by_role("button", name="DELETE").click()
    expect(page.get_by_role("table", name="Charging stations").get_by_role("row")).to_have_count(7)
    page.get_by_label("Orphan charging stations only").check()
    expect(table.get_by_role("row", name=re.compile(f"^Pine Mall entry {NEW_STATION} "))).to_be_visible()


def test_basic_settings_are_edited_saved_and_the_delete_asks_first(stack, page):
    as_admin(page, stack)
    open_station(page, stack, "EVI00000014", "basic")
    expect(page.get_by_label("CHARGING STATION NAME")).to_have_value("EVI00000014")
    accessible_when_still(page)
    screenshot(page, "station-basic")
    page.get_by_label("CHARGING STATION NAME").fill("Pine Mall exit")
    page.get_by_label("EVSE CODE").fill("PINE-2")
    page.get_by_label("eMI3 ID").fill("FI*ACM*E14")
    page.get_by_role("switch", name="Roaming enabled").check()
    page.get_by_role("button", name="SAVE CHANGES").click()
    expect(page.get_by_role("status")).to_have_text("Charging station is saved.")
    page.reload()
    expect(page.get_by_label("CHARGING STATION NAME")).to_have_value("Pine Mall exit")
    expect(page.get_by_label("EVSE CODE")).to_have_value("PINE-2")
    expect(page.get_by_role("switch", name="Roaming enabled")).to_be_checked()
    # A bad eMI3 ID is refused with the API's text and nothing is lost.
    page.get_by_label("eMI3 ID").fill("not an id")
    page.get_by_role("button", name="SAVE CHANGES").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("eMI3 ID")).to_have_value("not an id")
    page.get_by_role("button", name="DELETE CHARGING STATION").click()
    dialog = page.get_by_role("dialog", name="Delete this station")
    expect(dialog).to_contain_text("Delete charging station Pine Mall exit?")
    accessible_when_still(page)
    dialog.get_by_role("button", name="CANCEL").click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_a_basic_operator_sees_no_admin_buttons(stack, page):
    log_in(page, stack, "acme-basic", stack.credentials()["acme-basic"])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{stack.url}/#/stations")
    expect(page.get_by_role("table", name="Charging stations").get_by_role("row")).not_to_have_count(1)
    expect(page.get_by_role("button", name="ADD CHARGING STATION")).to_have_count(0)
    open_station(page, stack, "EVI00000013", "basic")
    expect(page.get_by_label("CHARGING STATION NAME")).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="DELETE CHARGING STATION")).to_have_count(0)
    expect(page.get_by_role("button", name="SAVE CHANGES")).to_have_count(0)


def test_advanced_settings_of_a_connected_charger_refreshed_searched_and_changed(stack, page):
    live = LiveCharger(f"ws://127.0.0.1:{stack.ws_port}/ocpp", "EVI00000016", charger_class=ConfigurableCharger)
    cp = live.start_and_wait()
    try:
        as_admin(page, stack)
        open_station(page, stack, "EVI00000016", "advanced")
        page.get_by_role("button", name="REFRESH CONFIGURATION").click()
        keys = page.get_by_role("table", name="Configuration keys")
        expect(keys.get_by_role("row", name=re.compile("^HeartbeatInterval 900"))).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile("^Configuration refreshed"))).to_be_visible()
        # Read-only keys are grayed and cannot be edited.
        expect(keys.get_by_role("row", name=re.compile("^ChargePointModel EVF200 Read-only"))).to_be_visible()
        expect(page.get_by_role("button", name="Edit ChargePointModel")).to_have_count(0)
        accessible_when_still(page)
        screenshot(page, "station-advanced")
        page.get_by_label("Search for advanced settings").fill("heartbeat")
        expect(keys.get_by_role("row")).to_have_count(2)  # the header and HeartbeatInterval
        page.get_by_role("button", name="Edit HeartbeatInterval").click()
        dialog = page.get_by_role("dialog", name="Edit HeartbeatInterval")
        accessible_when_still(page)
        dialog.get_by_label("VALUE").fill("120")
        dialog.get_by_role("button", name="SAVE CHANGES").click()
        expect(dialog.get_by_role("status")).to_have_text("HeartbeatInterval: Accepted", timeout=30_000)
        assert ("HeartbeatInterval", "120") in cp.changes
        dialog.get_by_role("button", name="CANCEL").click()
        expect(keys.get_by_role("row", name=re.compile("^HeartbeatInterval 120"))).to_be_visible()
        # The charger refuses a change (its key became read-only): the manual's text.
        cp.keys["MeterValueSampleInterval"][1] = True
        page.get_by_label("Search for advanced settings").fill("MeterValue")
        page.get_by_role("button", name="Edit MeterValueSampleInterval").click()
        dialog = page.get_by_role("dialog", name="Edit MeterValueSampleInterval")
        dialog.get_by_label("VALUE").fill("30")
        dialog.get_by_role("button", name="SAVE CHANGES").click()
        expect(dialog.get_by_role("alert")).to_have_text("Charging point configuration error.", timeout=30_000)
    finally:
        live.stop()


def test_the_points_tab_follows_a_status_change_without_reloading(stack, page):
    live = LiveCharger(f"ws://127.0.0.1:{stack.ws_port}/ocpp", "EVI00000017")
    live.start_and_wait()
    try:
        as_admin(page, stack)
        open_station(page, stack, "EVI00000017", "points")
        point = page.get_by_role("region", name="Charging point #1")
        expect(point.get_by_text("Status: Available")).to_be_visible()
        accessible_when_still(page)
        screenshot(page, "station-points")
        page.evaluate("() => { window.notReloaded = true; }")
        live.send(call.StatusNotification(connector_id=1, error_code="NoError", status="Charging"))
        expect(point.get_by_text("Status: Charging")).to_be_visible(timeout=15_000)
        assert page.evaluate("() => window.notReloaded === true")
        page.get_by_role("button", name="EDIT CHARGING POINTS").click()
        page.get_by_role("button", name="ADD NEW SOCKET +").click()  # the demo's point has none yet
        page.get_by_label("SOCKET TYPE (Socket #1)").select_option("CCS")
        page.get_by_label("MAX. POWER (kW) (Socket #1)").fill("50")
        accessible_when_still(page)
        page.get_by_role("button", name="SAVE CHANGES").click()
        expect(point.get_by_text("CCS (Socket #1) 50 kW max. power")).to_be_visible()
    finally:
        live.stop()
