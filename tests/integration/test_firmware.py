"""Firmware and diagnostics through the local stack: a file uploaded with its presigned form over HTTP,
UpdateFirmware to a real charger that downloads it from moto's S3 and reports, GetDiagnostics with a
charger that PUTs its file, and the operator's download."""

from __future__ import annotations

import asyncio
import urllib.request

import requests

from tests.integration.chargers import call, charger

FIRMWARE = b"\x7fELF firmware image 2.1 for EVF200\n" * 64


def _api(stack, method: str, path: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
    answer = requests.request(method, stack.http_url + path, headers=headers, json=body, timeout=30)
    return answer.status_code, answer.json() if answer.content else {}


def _login(stack) -> str:
    status, body = _api(stack, "POST", "/api/v1/auth/login", body={"username": "acme-admin", "password": stack.credentials["acme-admin"]})
    assert status == 200, body
    return body["token"]


async def _until(check, seconds: float = 10):
    for _ in range(int(seconds / 0.1)):
        found = check()
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError("condition not met in time")


def _upload_firmware(stack, token: str) -> str:
    status, started = _api(stack, "POST", "/api/v1/firmware/files", token,
                           {"name": "evf200-2.1.bin", "version": "2.1", "size": len(FIRMWARE), "vendor": "Ensto", "model": "EVF200"})
    assert status == 201, started
    form = started["upload"]
    assert form["url"].startswith(stack.aws_endpoint)  # moto of the stack, reachable from this host
    posted = requests.post(form["url"], data=form["fields"], files={"file": ("evf200-2.1.bin", FIRMWARE)}, timeout=30)
    assert posted.status_code == 204, posted.text
    status, ready = _api(stack, "POST", f"/api/v1/firmware/files/{started['file']['file_id']}/uploaded", token)
    assert (status, ready["state"], ready["size"]) == (200, "Ready", len(FIRMWARE))
    return ready["file_id"]


async def test_firmware_update_with_a_real_charger(stack):
    token = _login(stack)
    file_id = await asyncio.to_thread(_upload_firmware, stack, token)
    async with charger(f"{stack.ws_url}/EVI00000017", "EVI00000017") as (cp, _):
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto", firmware_version="1.0"))
        status, update = await asyncio.to_thread(_api, stack, "POST", "/api/v1/stations/EVI00000017/firmware-update", token, {"file_id": file_id})
        assert status == 202, update

        def installed():
            _, shown = _api(stack, "GET", "/api/v1/stations/EVI00000017/firmware-update", token)
            return shown if shown.get("status") == "Installed" else None

        shown = await _until(installed)
        assert cp.firmware == FIRMWARE  # the charger downloaded the uploaded bytes through the presigned link
        assert (shown["update_id"], shown["version"], shown["reason"]) == (update["update_id"], "2.1", None)
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto", firmware_version="2.1"))
    _, versions = await asyncio.to_thread(_api, stack, "GET", "/api/v1/firmware/versions", token)
    assert versions["versions"]["2.1"] >= 1
    assert {"station_id": "EVI00000017", "firmware_version": "2.1"}.items() <= next(
        r for r in versions["stations"] if r["station_id"] == "EVI00000017").items()


async def test_diagnostics_uploaded_by_a_real_charger_and_downloaded(stack):
    token = _login(stack)
    path = "/api/v1/stations/EVI00000018/diagnostics"
    async with charger(f"{stack.ws_url}/EVI00000018", "EVI00000018") as (cp, _):
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        status, asked = await asyncio.to_thread(_api, stack, "POST", path, token, {})
        assert status == 202, asked

        def uploaded():
            _, listed = _api(stack, "GET", path, token)
            return listed["items"][0] if listed["items"][0]["status"] == "Uploaded" else None

        shown = await _until(uploaded)
    assert shown["file_name"] == "EVI00000018-diagnostics.txt"
    status, link = await asyncio.to_thread(_api, stack, "GET", f"{path}/{asked['request_id']}/download", token)
    assert status == 200 and link["url"].startswith(stack.aws_endpoint)
    with urllib.request.urlopen(link["url"], timeout=10) as got:  # noqa: S310 (the stack's moto)
        assert got.read() == cp.diagnostics
        assert got.headers["Content-Disposition"] == 'attachment; filename="EVI00000018-diagnostics.txt"'
    assert shown["requested_by"] == "acme-admin"
