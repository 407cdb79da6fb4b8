"""The Remote commands tab's Refresh configuration, Firmware update and Get diagnostics in chromium against
the local stack, with a real OCPP charger that answers GetConfiguration, downloads the uploaded firmware
(FirmwareStatusNotification as it goes) and PUTs its diagnostics file to the presigned URL it got."""

from __future__ import annotations

import asyncio
import re
import threading
import urllib.request

from ocpp.routing import after, on
from ocpp.v16 import call, call_result
from ocpp.v16.enums import Action
from playwright.sync_api import expect

from tests.frontend.browser import api, assert_accessible, screenshot
from tests.frontend.test_station_activity import LiveCharger, admin_token, open_tab
from tests.integration.chargers import Charger

FIRMWARE = b"\x7fELF test charger firmware 2.1.0\n" * 64
ZONE = "Pacific/Kiritimati"  # UTC+14: the history's times cannot be the browser's (UTC) by chance


class ConfiguredCharger(Charger):
    """Also answers Refresh configuration (GetConfiguration) with two keys, and installs the firmware only
    when the test says so (the operator watches the status move)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.install = threading.Event()

    @after(Action.update_firmware)
    async def download_and_install(self, location: str, retrieve_date: str, **_options):
        await self.call(call.FirmwareStatusNotification(status="Downloading"))
        self.firmware = await asyncio.to_thread(_download, location)
        for status in ("Downloaded", "Installing"):
            await self.call(call.FirmwareStatusNotification(status=status))
        await asyncio.to_thread(self.install.wait, 30)
        await self.call(call.FirmwareStatusNotification(status="Installed"))

    @on(Action.get_configuration)
    def on_get_configuration(self, key=None, **_request):
        self.received.append(("GetConfiguration", {}))
        keys = [{"key": "HeartbeatInterval", "readonly": False, "value": "300"}, {"key": "ChargePointModel", "readonly": True, "value": "EVF100"}]
        return call_result.GetConfiguration(configuration_key=keys)


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the URL the CSMS gave)
        return answer.read()


def test_refresh_configuration_a_firmware_update_and_diagnostics_with_a_real_charger(stack, page, tmp_path):
    token = admin_token(stack)
    organization = api(stack, "GET", "/api/v1/organization", token=token)
    api(stack, "PUT", "/api/v1/organization", {"name": organization["name"], "timezone": ZONE, "version": organization["version"]}, token=token)
    with LiveCharger(stack, "EVI00000013", charger_class=ConfiguredCharger) as live:
        live.status(1, "Available")
        open_tab(page, stack, "EVI00000013", "commands")
        expect(page.get_by_test_id("point-1-status")).to_have_text("Status: Available")

        # Refresh configuration, with its outcome; the keys are the station's now.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Refresh configuration").click()
        dialog = page.get_by_role("dialog", name="Refresh configuration")
        expect(dialog.get_by_text("Fetch the latest configuration settings from the charging station?")).to_be_visible()
        dialog.get_by_role("button", name="SEND COMMAND").click()
        expect(page.get_by_test_id("command-outcome")).to_have_text("Refresh configuration: Answered")
        keys = api(stack, "GET", "/api/v1/stations/EVI00000013/configuration", token=token)["keys"]
        assert {k["key"]: k["value"] for k in keys}["HeartbeatInterval"] == "300"

        # Firmware update: no file yet, so the admin uploads one, and the charger downloads and installs it.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Firmware update").click()
        dialog = page.get_by_role("dialog", name="Firmware update")
        expect(dialog.get_by_text("No firmware files have been uploaded yet: upload one below.")).to_be_visible()
        expect(dialog.get_by_role("button", name="UPDATE FIRMWARE")).to_be_disabled()
        expect(page.get_by_role("menu")).to_be_hidden()  # axe reads the menu's fading items otherwise
        assert_accessible(page)
        firmware = tmp_path / "evf100-2.1.0.bin"
        firmware.write_bytes(FIRMWARE)
        dialog.get_by_label("FILE").set_input_files(str(firmware))
        dialog.get_by_label("VERSION").fill("2.1.0")
        dialog.get_by_role("button", name="UPLOAD").click()
        expect(dialog.get_by_text("evf100-2.1.0.bin is uploaded and chosen.")).to_be_visible()
        expect(dialog.get_by_label("FIRMWARE FILE")).to_have_value(re.compile(".+"))
        expect(dialog.get_by_label("FIRMWARE FILE").locator("option:checked")).to_have_text("evf100-2.1.0.bin (version 2.1.0)")
        assert_accessible(page)
        dialog.get_by_role("button", name="UPDATE FIRMWARE").click()
        expect(dialog).to_be_hidden()
        status = page.get_by_test_id("firmware-status")
        expect(status).to_have_text("Status: Installing", timeout=20_000)
        steps = page.get_by_role("list", name="Firmware update steps")
        expect(steps.locator("[aria-current=step]")).to_contain_text("Installing")
        live.cp.install.set()
        expect(status).to_have_text("Status: Installed", timeout=20_000)
        panel = page.get_by_role("region", name="Firmware update")
        expect(panel).to_contain_text("Version 2.1.0, requested by acme-admin")
        assert live.cp.firmware == FIRMWARE  # what the charger downloaded is what the browser uploaded
        assert_accessible(page)

        # Get diagnostics: the charger uploads its file, the operator downloads it.
        page.get_by_role("button", name="ADVANCED").click()
        page.get_by_role("menuitem", name="Get diagnostics").click()
        dialog = page.get_by_role("dialog", name="Get diagnostics")
        dialog.get_by_label("RETRIES").fill("2")
        dialog.get_by_label("RETRY INTERVAL (SECONDS)").fill("30")
        expect(page.get_by_role("menu")).to_be_hidden()
        assert_accessible(page)
        dialog.get_by_role("button", name="GET DIAGNOSTICS").click()
        expect(dialog).to_be_hidden()
        requests = page.get_by_role("table", name=re.compile("^Diagnostics requests"))
        row = requests.get_by_role("row").nth(1)
        expect(row).to_contain_text("acme-adminEVI00000013-diagnostics.txtUploaded", timeout=20_000)
        with page.expect_download() as download:
            row.get_by_role("button", name=re.compile("^DOWNLOAD")).click()
        assert download.value.suggested_filename == "EVI00000013-diagnostics.txt"
        assert open(download.value.path(), "rb").read() == live.cp.diagnostics
        assert_accessible(page)
        screenshot(page, "station-firmware-diagnostics")

        # The history: every command, its time in the organization's zone.
        history = page.get_by_role("table", name=re.compile("Remote commands sent"))
        expect(page.get_by_text(f"Times are in the organization's time zone ({ZONE}).").first).to_be_visible()
        expect(history.get_by_role("row").nth(1)).to_contain_text("Get diagnosticsacme-admin")
        expect(history.get_by_role("row").nth(2)).to_contain_text("Firmware updateacme-admin")
        expect(history.get_by_role("row").nth(3)).to_contain_text("Refresh configurationacme-adminAnswered")
        latest = api(stack, "GET", "/api/v1/stations/EVI00000013/commands?limit=1", token=token)["items"][0]
        expected = page.evaluate(
            "([at, zone]) => { const p = new Intl.DateTimeFormat('en-GB', {day: '2-digit', month: '2-digit', year: 'numeric',"
            " hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: zone}).formatToParts(new Date(at));"
            " const g = (t) => p.find((x) => x.type === t).value; return `${g('day')}/${g('month')}/${g('year')} ${g('hour')}:${g('minute')}`; }",
            [latest["created_at"], ZONE],
        )
        expect(history.get_by_role("row").nth(1).get_by_role("cell").first).to_have_text(expected)
        assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") != ZONE



def test_a_basic_operator_has_no_firmware_update_and_reads_the_apis_refusal_of_diagnostics(stack, page):
    open_tab(page, stack, "EVI00000017", "commands", username="acme-basic")
    expect(page.get_by_test_id("point-1-status")).to_have_text("Status: Offline")
    page.get_by_role("button", name="ADVANCED").click()
    expect(page.get_by_role("menuitem", name="Get diagnostics")).to_be_visible()
    expect(page.get_by_role("menuitem", name="Refresh configuration")).to_be_visible()
    expect(page.get_by_role("menuitem", name="Firmware update")).to_have_count(0)
    page.get_by_role("menuitem", name="Get diagnostics").click()
    dialog = page.get_by_role("dialog", name="Get diagnostics")
    dialog.get_by_role("button", name="GET DIAGNOSTICS").click()
    expect(dialog.get_by_role("alert")).to_have_text(re.compile(r"^Remote command execution failed\. .+"))
    expect(page.get_by_role("menu")).to_be_hidden()
    assert_accessible(page)
    dialog.get_by_role("button", name="CANCEL").click()
    requests = page.get_by_role("table", name=re.compile("^Diagnostics requests"))
    expect(requests.get_by_role("row").nth(1)).to_contain_text("acme-basicFailed")
