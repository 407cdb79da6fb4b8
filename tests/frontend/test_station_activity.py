"""A station's Remote commands, Events and Statistics tabs in chromium against the local stack, with a real
OCPP charger (the `ocpp` library's client) that answers the commands and starts the session it is asked to."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import UTC, datetime, timedelta

from ocpp.routing import after
from ocpp.v16.enums import Action
from playwright.sync_api import expect

from tests.frontend.browser import api, assert_accessible, log_in, screenshot
from tests.integration.chargers import Charger, call, charger

TOKEN = "12345678"  # Scrooge's token in the demo data
FAILED = "Remote command execution failed."


def _now(minutes_ago: int = 0) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat().replace("+00:00", "Z")


class StartingCharger(Charger):
    """Once it accepted a remote start, starts the transaction and reports the point Charging, as a charger does."""

    @after(Action.remote_start_transaction)
    async def start_session(self, id_tag: str, connector_id: int | None = None, **_options):
        if self.statuses.get("RemoteStartTransaction", "Accepted") != "Accepted":
            return
        point = connector_id or 1
        await self.call(call.StartTransaction(connector_id=point, id_tag=id_tag, meter_start=0, timestamp=_now()))
        await self.call(call.StatusNotification(connector_id=point, error_code="NoError", status="Charging"))


class LiveCharger:
    """A connected, booted charger on its own event loop (Playwright's sync API owns the test's thread);
    `run` does one of its coroutines there and returns the result."""

    def __init__(self, stack, station_id: str, charger_class: type[Charger] = StartingCharger) -> None:
        self.url = f"ws://127.0.0.1:{stack.ws_port}/ocpp/{station_id}"
        self.station_id = station_id
        self.charger_class = charger_class
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> LiveCharger:
        self.thread.start()
        self.cp = self.run(self._connect())
        return self

    async def _connect(self) -> Charger:
        self._connection = charger(self.url, self.station_id, charger_class=self.charger_class)
        cp, _ws = await self._connection.__aenter__()
        await cp.call(call.BootNotification(charge_point_vendor="Ensto", charge_point_model="EVF100"))
        return cp

    def run(self, coroutine, timeout: float = 30):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def status(self, point: int, status: str, error_code: str = "NoError", info: str | None = None) -> None:
        self.run(self.cp.call(call.StatusNotification(connector_id=point, error_code=error_code, status=status, info=info)))

    def __exit__(self, *_exc) -> None:
        try:
            self.run(self._connection.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


def open_tab(page, stack, station_id: str, tab: str, username: str = "acme-admin") -> None:
    log_in(page, stack, username, stack.credentials()[username])
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{stack.url}/#/station?id={station_id}&tab={tab}")


def admin_token(stack) -> str:
    return api(stack, "POST", "/api/v1/auth/login", {"username": "acme-admin", "password": stack.credentials()["acme-admin"]})["token"]


def test_a_remote_command_shows_its_outcome_and_a_started_session_shows_without_reloading(stack, page):
    with LiveCharger(stack, "EVI00000013") as live:
        live.status(1, "Available")
        open_tab(page, stack, "EVI00000013", "commands")
        point = page.get_by_role("region", name="Charging point #1")
        expect(point.get_by_test_id("point-1-status")).to_have_text("Status: Available")
        expect(page.get_by_text("No remote commands have been sent to this charging station.")).to_be_visible()
        assert_accessible(page)
        screenshot(page, "station-commands")

        # The operator soft-resets the station from the ADVANCED menu and sees the charger's answer.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Soft reset").click()
        dialog = page.get_by_role("dialog", name="Soft reset")
        expect(dialog.get_by_text("Restart the charging station application?", exact=False)).to_be_visible()
        expect(page.get_by_role("menu")).to_be_hidden()
        assert_accessible(page)
        dialog.get_by_role("button", name="SEND COMMAND").click()
        expect(page.get_by_test_id("command-outcome")).to_have_text("Reset: Answered: Accepted")
        assert ("Reset", {"type": "Soft"}) in live.cp.received

        # Then starts a session: the charger accepts, starts the transaction, and the point shows Charging by polling.
        page.evaluate("() => { window.notReloaded = true; }")
        point.get_by_role("button", name="START CHARGING").click()
        dialog = page.get_by_role("dialog", name="START CHARGING")
        dialog.get_by_label("TOKEN (RFID)").fill(TOKEN)
        assert_accessible(page)
        dialog.get_by_role("button", name="SEND COMMAND").click()
        expect(page.get_by_test_id("command-outcome")).to_have_text("Start charging: Answered: Accepted")
        expect(point.get_by_test_id("point-1-status")).to_have_text("Status: Charging", timeout=20_000)
        expect(point.get_by_role("button", name="STOP CHARGING")).to_be_visible()
        assert page.evaluate("() => window.notReloaded === true")
        assert ("RemoteStartTransaction", {"connector_id": 1, "id_tag": TOKEN}) in live.cp.received

        # STOP CHARGING: the API finds the point's transaction for the RemoteStopTransaction.
        point.get_by_role("button", name="STOP CHARGING").click()
        page.get_by_role("dialog", name="STOP CHARGING").get_by_role("button", name="SEND COMMAND").click()
        expect(page.get_by_test_id("command-outcome")).to_have_text("Stop charging: Answered: Accepted")
        stops = [request for action, request in live.cp.received if action == "RemoteStopTransaction"]
        assert len(stops) == 1 and stops[0]["transaction_id"] > 0

        history = page.get_by_role("table", name=re.compile("Remote commands sent"))
        expect(history.get_by_role("row")).to_have_count(4)  # the header, then newest first
        expect(history.get_by_role("row").nth(1)).to_contain_text("Stop chargingacme-adminAnswered: Accepted")
        expect(history.get_by_role("row").nth(2)).to_contain_text("Start chargingacme-adminAnswered: Accepted")
        expect(history.get_by_role("row").nth(3)).to_contain_text("Resetacme-adminAnswered: Accepted")


def test_a_rejected_command_and_a_refused_remote_start_read_as_the_manual_words_them(stack, page):
    with LiveCharger(stack, "EVI00000014") as live:
        live.status(1, "Available")
        live.cp.statuses["ClearCache"] = "Rejected"
        open_tab(page, stack, "EVI00000014", "commands")
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Clear cache").click()
        page.get_by_role("dialog", name="Clear cache").get_by_role("button", name="SEND COMMAND").click()
        outcome = page.get_by_test_id("command-outcome")
        expect(outcome).to_contain_text("Clear cache: Answered: Rejected")
        expect(outcome).to_contain_text(FAILED)

        # Trigger message asks which message, for the whole station or one point.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Trigger message").click()
        dialog = page.get_by_role("dialog", name="Trigger message")
        dialog.get_by_label("Message").select_option("Heartbeat")
        expect(page.get_by_role("menu")).to_be_hidden()
        assert_accessible(page)
        dialog.get_by_role("button", name="SEND COMMAND").click()
        expect(outcome).to_have_text("Trigger message: Answered: Accepted")
        assert ("TriggerMessage", {"requested_message": "Heartbeat"}) in live.cp.received

        # Set unavailable goes through the availability route: ChangeAvailability for the whole station.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Set unavailable").click()
        page.get_by_role("dialog", name="Set unavailable").get_by_role("button", name="SEND COMMAND").click()
        expect(outcome).to_have_text("Change availability: Answered: Accepted")
        assert ("ChangeAvailability", {"connector_id": 0, "type": "Inoperative"}) in live.cp.received

        # Disabled for maintenance: the API refuses a remote start, and the dialog says why.
        api(stack, "PUT", "/api/v1/stations/EVI00000014/maintenance", {"disabled": True}, token=admin_token(stack))
        point = page.get_by_role("region", name="Charging point #1")
        point.get_by_role("button", name="START CHARGING").click()
        dialog = page.get_by_role("dialog", name="START CHARGING")
        dialog.get_by_label("TOKEN (RFID)").fill(TOKEN)
        dialog.get_by_role("button", name="SEND COMMAND").click()
        expect(dialog.get_by_role("alert")).to_have_text(
            FAILED + " The charging station is disabled or its registration is not Accepted."
        )
        assert_accessible(page)
        assert not any(action == "RemoteStartTransaction" for action, _ in live.cp.received)


def test_a_basic_operator_sends_a_command_to_a_station_that_is_not_connected(stack, page):
    open_tab(page, stack, "EVI00000017", "commands", username="acme-basic")
    expect(page.get_by_test_id("point-1-status")).to_have_text("Status: Offline")
    expect(page.get_by_text("The charging station is not connected: remote commands to it fail until it connects.")).to_be_visible()
    page.get_by_role("button", name="ADVANCED").click()
    page.get_by_role("menuitem", name="Clear cache").click()
    page.get_by_role("dialog", name="Clear cache").get_by_role("button", name="SEND COMMAND").click()
    outcome = page.get_by_test_id("command-outcome")
    expect(outcome).to_have_text(f"Clear cache: Charging station is not connected.{FAILED}")
    history = page.get_by_role("table", name=re.compile("Remote commands sent"))
    expect(history.get_by_role("row").nth(1)).to_contain_text("Clear cacheacme-basicCharging station is not connected.")
    assert_accessible(page)


def test_the_event_feed_shows_the_days_events_and_filters_them(stack, page):
    with LiveCharger(stack, "EVI00000015") as live:
        live.status(1, "Preparing")
        live.status(1, "Charging")
        live.status(0, "Available", error_code="OtherError", info="could not handle command")
        open_tab(page, stack, "EVI00000015", "events")
        table = page.get_by_role("table", name=re.compile("^Events of"))
        expect(table.get_by_role("row")).to_have_count(4)
        expect(table.get_by_role("row").nth(1)).to_contain_text("could not handle commandCharging point #0AvailableOther error")
        expect(table.get_by_role("row").nth(2)).to_contain_text("Status UpdateCharging point #1ChargingNo error")
        assert_accessible(page)
        screenshot(page, "station-events")

        page.get_by_label("Select OCPP error type:").select_option(label="Other error")
        expect(table.get_by_role("row")).to_have_count(2)
        page.get_by_label("Select OCPP error type:").select_option(label="All")
        page.get_by_label("Select OCPP status:").select_option("Charging")
        expect(table.get_by_role("row")).to_have_count(2)
        expect(table.get_by_role("row").nth(1)).to_contain_text("Charging point #1Charging")

        page.get_by_label("Select OCPP status:").select_option(label="All")
        page.get_by_label("Search for specific event").fill("could not")
        expect(table.get_by_role("row")).to_have_count(2)
        expect(table.get_by_role("row").nth(1)).to_contain_text("could not handle command")
        page.get_by_label("Search for specific event").fill("")

        day = page.get_by_label("Select a date:")
        today = day.input_value()
        page.get_by_role("button", name="PREVIOUS DAY").click()
        expect(page.get_by_text("No events on this day.")).to_be_visible()
        expect(page.get_by_role("button", name="NEXT DAY")).to_be_enabled()
        assert day.input_value() < today
        day.fill(today)  # the day picker
        expect(page.get_by_role("table", name=f"Events of {today}, newest first").get_by_role("row")).to_have_count(4)


def test_statistics_show_the_chart_the_table_and_the_totals(stack, page):
    with LiveCharger(stack, "EVI00000016") as live:
        # Ten minutes of charging: 7.51 kWh is within what a point can deliver in that time (the energy rule).
        start = call.StartTransaction(connector_id=1, id_tag=TOKEN, meter_start=1000, timestamp=_now(minutes_ago=10))
        started = live.run(live.cp.call(start))
        live.run(live.cp.call(call.StopTransaction(meter_stop=8510, timestamp=_now(), transaction_id=started.transaction_id)))
    open_tab(page, stack, "EVI00000016", "statistics")
    expect(page.get_by_test_id("card-kwh")).to_have_text("7.51")
    expect(page.get_by_test_id("card-events")).to_have_text("1")
    expect(page.get_by_test_id("statistics-totals")).to_have_text("Totals of the last 7 days: 7.51 kWh, 1 charging event")
    expect(page.get_by_test_id("consumption").locator("svg")).to_be_visible()  # ECharts drew it
    page.get_by_text("Show as a table").click()
    rows = page.get_by_role("table", name="Consumption and charging events per day").get_by_role("row")
    expect(rows).to_have_count(8)
    expect(rows.nth(7)).to_contain_text("7.5 kWh1")
    assert_accessible(page)
    screenshot(page, "station-statistics")

    page.get_by_text("30 days").click()
    expect(rows).to_have_count(31)
    expect(page.get_by_test_id("statistics-totals")).to_have_text("Totals of the last 30 days: 7.51 kWh, 1 charging event")
