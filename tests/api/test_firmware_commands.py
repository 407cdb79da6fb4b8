"""UpdateFirmware, campaigns and GetDiagnostics end to end inside one process: REST -> pending call ->
the charger's frames (a LambdaCharger on moto's @connections) -> notifications -> what operators see."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.api.conftest import world  # noqa: F401 (fixture)
from tests.support import LambdaCharger

FAILED_TEXT = "Remote command execution failed."


class Station(LambdaCharger):
    """A charger that can read the calls the CSMS posted to it."""

    def calls(self) -> list[list]:
        from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends
        from moto.core import DEFAULT_ACCOUNT_ID

        data = apigatewaymanagementapi_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].connections[self.connection_id].data
        fresh, self._read = data[self._read :].decode(), len(data)
        frames, decoder, at = [], json.JSONDecoder(), 0
        while at < len(fresh):
            frame, at = decoder.raw_decode(fresh, at)
            frames.append(frame)
        return [f for f in frames if f[0] == 2]

    def answer(self, call: list, payload: dict) -> None:
        self.send_raw(json.dumps([3, call[1], payload]))


def _online(station_id: str) -> Station:
    station = Station(station_id)
    station.connect()
    station.call("BootNotification", {"chargePointVendor": "Ensto", "chargePointModel": "EVF200", "firmwareVersion": "1.0"})
    station.calls()
    return station


def _ready_file(world, version="2.1") -> str:  # noqa: F811
    started = world.admin.post("/api/v1/firmware/files", {"name": "fw.bin", "version": version, "size": 8}).body
    form = started["upload"]
    assert requests.post(form["url"], data=form["fields"], files={"file": ("fw.bin", b"FIRMWARE")}, timeout=10).status_code == 204
    return world.admin.post(f"/api/v1/firmware/files/{started['file']['file_id']}/uploaded").body["file_id"]


def test_update_firmware_reaches_the_charger_and_its_notifications_show(world):  # noqa: F811
    charger = _online("EVI00000013")
    file_id = _ready_file(world)
    path = "/api/v1/stations/EVI00000013/firmware-update"
    denied = world.basic.post(path, {"file_id": file_id})
    assert (denied.status, denied.message) == (403, "Access denied.")
    # When an admin sends the update with retries
    sent = world.admin.post(path, {"file_id": file_id, "retries": 2, "retry_interval": 30})
    assert sent.status == 202 and sent.body["status"] == "Requested" and sent.body["version"] == "2.1"
    # Then the charger gets UpdateFirmware with a download link that outlives its retries
    [call] = charger.calls()
    assert call[1] == sent.body["command_id"] and call[2] == "UpdateFirmware"
    location = call[3]["location"]
    assert urlsplit(location).path.endswith(f"/firmware/ACME/{file_id}/fw.bin")
    assert parse_qs(urlsplit(location).query)["X-Amz-Expires"] == [str(3600 + 2 * 30)]
    assert (call[3]["retries"], call[3]["retryInterval"]) == (2, 30)
    assert requests.get(location, timeout=10).content == b"FIRMWARE"
    charger.answer(call, {})
    assert world.admin.get(path).body["status"] == "Accepted"
    again = world.admin.post(path, {"file_id": file_id})
    assert (again.status, again.message) == (409, "A firmware update is already in progress on this charging station.")
    for status in ("Downloading", "Downloaded", "Installing", "Installed"):
        charger.call("FirmwareStatusNotification", {"status": status})
        assert world.basic.get(path).body["status"] == status
    # The rebooted station boots with its new version: the inventory counts it
    charger.call("BootNotification", {"chargePointVendor": "Ensto", "chargePointModel": "EVF200", "firmwareVersion": "2.1"})
    versions = world.basic.get("/api/v1/firmware/versions").body["versions"]
    assert versions["2.1"] == 1


def test_an_offline_station_fails_at_once_with_the_manuals_text(world):  # noqa: F811
    file_id = _ready_file(world)
    path = "/api/v1/stations/EVI00000014/firmware-update"
    reply = world.admin.post(path, {"file_id": file_id})
    assert (reply.status, reply.message) == (409, f"{FAILED_TEXT} Charging station is not connected.")
    shown = world.basic.get(path).body
    assert (shown["status"], shown["reason"]) == ("Failed", "Charging station is not connected.")
    later = world.admin.post(path, {"file_id": file_id, "retrieve_date": "2099-01-01T00:00:00Z"})
    assert (later.status, later.message) == (400, "The retrieve date must be within 6 hours: the download link would expire before it.")


def test_a_campaign_updates_a_group_one_station_at_a_time(world):  # noqa: F811
    from chalicelib import clock
    from chalicelib.jobs import firmware_timeouts
    from chalicelib.jobs.runner import Tick

    def tick():
        now = clock.now()
        return firmware_timeouts.run(Tick(now, now))

    chargers = {s: _online(s) for s in ("EVI00000015", "EVI00000016")}
    birch = world.groups["ACME Birch Mall"].group_id
    created = world.admin.post("/api/v1/firmware/campaigns", {"group_id": birch, "file_id": _ready_file(world), "concurrency": 1})
    assert created.status == 201 and created.body["state"] == "Running"
    assert created.body["counts"] == {"Started": 1, "Waiting": 1}
    first = next(s["station_id"] for s in created.body["stations"] if s["state"] == "Started")
    second = next(s for s in chargers if s != first)
    path = f"/api/v1/firmware/campaigns/{created.body['campaign_id']}"
    # The first station's download fails: the job records why and starts the second one
    [call] = chargers[first].calls()
    chargers[first].answer(call, {})
    chargers[first].call("FirmwareStatusNotification", {"status": "Downloading"})
    assert {s["station_id"]: s["update_status"] for s in world.basic.get(path).body["stations"]}[first] == "Downloading"
    chargers[first].call("FirmwareStatusNotification", {"status": "DownloadFailed"})
    assert tick() == {"updates_failed": 0, "campaigns_finished": 0}
    rows = {s["station_id"]: s for s in world.basic.get(path).body["stations"]}
    assert (rows[first]["state"], rows[first]["reason"]) == ("Failed", "DownloadFailed")
    assert rows[second]["state"] == "Started"
    [call] = chargers[second].calls()
    chargers[second].answer(call, {})
    chargers[second].call("FirmwareStatusNotification", {"status": "Installed"})
    assert tick()["campaigns_finished"] == 1
    done = world.basic.get(path).body
    assert (done["state"], done["counts"]) == ("Finished", {"Failed": 1, "Installed": 1})
    assert [c["campaign_id"] for c in world.basic.get("/api/v1/firmware/campaigns").body["items"]] == [created.body["campaign_id"]]
    assert world.sibling.get(path).status == 200  # Birch Mall is the sibling admin's domain
    assert world.other_org.get(path).status == 404


def test_a_campaign_skips_and_reports_offline_stations(world):  # noqa: F811
    pine = world.groups["ACME Pine Mall"].group_id  # EVI00000013 and EVI00000014, neither connected
    created = world.admin.post("/api/v1/firmware/campaigns", {"group_id": pine, "file_id": _ready_file(world), "concurrency": 5})
    assert (created.body["state"], created.body["counts"]) == ("Finished", {"Offline": 2})
    assert {s["reason"] for s in created.body["stations"]} == {"Skipped: the charging station was not connected."}
    assert world.basic.post("/api/v1/firmware/campaigns", {"group_id": pine, "file_id": "x"}).message == "Access denied."


@pytest.mark.parametrize("file_name", ["diag-EVI00000013.zip", None])
def test_diagnostics_are_uploaded_to_the_given_location_and_downloaded_by_operators(world, file_name):  # noqa: F811
    charger = _online("EVI00000013")
    path = "/api/v1/stations/EVI00000013/diagnostics"
    asked = world.basic.post(path, {"retries": 1, "retry_interval": 60})
    assert asked.status == 202 and asked.body["status"] == "Requested"
    [call] = charger.calls()
    assert call[2] == "GetDiagnostics" and (call[3]["retries"], call[3]["retryInterval"]) == (1, 60)
    charger.answer(call, {"fileName": file_name} if file_name else {})
    request_id = asked.body["request_id"]
    download = f"{path}/{request_id}/download"
    if file_name is None:  # nothing to upload: the operator sees it
        assert world.basic.get(path).body["items"][0]["status"] == "No diagnostics"
        assert world.basic.get(download).message == "The diagnostics file has not been uploaded yet."
        return
    charger.call("DiagnosticsStatusNotification", {"status": "Uploading"})
    assert requests.put(call[3]["location"], data=b"log lines", timeout=10).status_code == 200
    charger.call("DiagnosticsStatusNotification", {"status": "Uploaded"})
    [shown] = world.basic.get(path).body["items"]
    assert (shown["status"], shown["file_name"], shown["requested_by"]) == ("Uploaded", file_name, "t-basic")
    link = world.basic.get(download).body
    got = requests.get(link["url"], timeout=10)
    assert (got.content, got.headers["Content-Disposition"]) == (b"log lines", f'attachment; filename="{file_name}"')
    assert world.sibling.get(download).status == 404


def test_diagnostics_of_an_offline_station_fail_with_the_manuals_text(world):  # noqa: F811
    reply = world.basic.post("/api/v1/stations/EVI00000014/diagnostics", {})
    assert (reply.status, reply.message) == (409, f"{FAILED_TEXT} Charging station is not connected.")
    [shown] = world.basic.get("/api/v1/stations/EVI00000014/diagnostics").body["items"]
    assert (shown["status"], shown["reason"]) == ("Failed", "Charging station is not connected.")
