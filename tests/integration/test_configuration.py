"""Configuration keys and templates end to end: REST -> @connections -> a real charger that answers
GetConfiguration and ChangeConfiguration -> the answers stored -> REST."""

from __future__ import annotations

import asyncio
import contextlib
import json
import urllib.error
import urllib.request

import websockets
from ocpp.routing import on
from ocpp.v16 import call_result
from ocpp.v16.enums import Action

from tests.integration.chargers import Charger, call

V1 = "/api/v1"


class ConfigurableCharger(Charger):
    """A charger with a few keys: read-only ones refuse changes, `RebootKey` needs a reboot."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keys = {
            "HeartbeatInterval": ["900", False],
            "MeterValueSampleInterval": ["60", False],
            "ChargePointModel": ["EVF200", True],
            "RebootKey": ["0", False],
        }
        self.changes: list[tuple[str, str]] = []

    @on(Action.get_configuration)
    def get_configuration(self, key=None, **_):
        asked = key or list(self.keys)
        found = [{"key": k, "value": self.keys[k][0], "readonly": self.keys[k][1]} for k in asked if k in self.keys]
        unknown = [k for k in asked if k not in self.keys]
        return call_result.GetConfiguration(configuration_key=found, unknown_key=unknown or None)

    @on(Action.change_configuration)
    def change_configuration(self, key, value, **_):
        self.changes.append((key, value))
        if key not in self.keys:
            return call_result.ChangeConfiguration(status="NotSupported")
        if self.keys[key][1]:
            return call_result.ChangeConfiguration(status="Rejected")
        self.keys[key][0] = value
        return call_result.ChangeConfiguration(status="RebootRequired" if key == "RebootKey" else "Accepted")


class Rest:
    """The operator API over HTTP, logged in."""

    def __init__(self, stack, username: str) -> None:
        self.base = stack.http_url
        self.token = None
        self.token = self.call("POST", "/auth/login", {"username": username, "password": stack.credentials[username]})[1]["token"]

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | None]:
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + V1 + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the local stack)
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")


async def _rest(rest: Rest, method: str, path: str, body: dict | None = None):
    """REST from inside the charger's event loop: the charger must keep answering meanwhile."""
    return await asyncio.to_thread(rest.call, method, path, body)


@contextlib.asynccontextmanager
async def configurable(stack, station_id: str):
    async with websockets.connect(f"{stack.ws_url}/ACME/{station_id}", subprotocols=["ocpp1.6"]) as ws:
        cp = ConfigurableCharger(station_id, ws, response_timeout=10)
        task = asyncio.create_task(cp.start())
        try:
            yield cp
        finally:
            task.cancel()


async def test_refresh_edit_read_only_and_reboot_required(stack):
    admin, basic = Rest(stack, "acme-admin"), Rest(stack, "acme-basic")
    station = "/stations/EVI00000017/configuration"
    async with configurable(stack, "EVI00000017") as cp:
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        # Refresh (a basic operator may): the charger's keys are stored
        status, command = await _rest(basic, "POST", station + "/refresh?wait=10")
        assert (status, command["state"], command["message"]) == (202, "Answered", None)
        status, view = await _rest(basic, "GET", station)
        keys = {k["key"]: k for k in view["keys"]}
        assert keys["HeartbeatInterval"]["value"] == "900" and keys["ChargePointModel"]["readonly"] is True
        assert view["source"] == "Defined by User" and view["refreshed_at"]
        assert [k["key"] for k in (await _rest(basic, "GET", station + "?q=interval"))[1]["keys"]] == [
            "HeartbeatInterval", "MeterValueSampleInterval",
        ]
        # A basic operator may not change a key; nothing is sent
        status, body = await _rest(basic, "PUT", station + "/keys/HeartbeatInterval", {"value": "300"})
        assert (status, body["message"]) == (403, "Access denied.")
        # An admin's change is Accepted and becomes the active value
        status, change = await _rest(admin, "PUT", station + "/keys/HeartbeatInterval?wait=10", {"value": "300"})
        assert status == 202 and change["command"]["status"] == "Accepted"
        assert (change["key"]["value"], change["key"]["origin"], change["key"]["drift"]) == ("300", "Added by User", False)
        # A read-only key is refused before anything is sent
        status, body = await _rest(admin, "PUT", station + "/keys/ChargePointModel", {"value": "X"})
        assert (status, body["message"]) == (400, "Charging point configuration error.")
        # RebootRequired is shown, and the value counts as taken
        status, change = await _rest(admin, "PUT", station + "/keys/RebootKey?wait=10", {"value": "1"})
        assert (change["command"]["status"], change["key"]["status"], change["key"]["value"]) == ("RebootRequired",) * 2 + ("1",)
        # NotSupported is shown with the manual's text, and the wish drifts
        status, change = await _rest(admin, "PUT", station + "/keys/NoSuchKey?wait=10", {"value": "1"})
        assert (change["command"]["status"], change["command"]["message"]) == ("NotSupported", "Charging point configuration error.")
        assert change["key"]["drift"] is True
        drift = (await _rest(basic, "GET", "/configuration/drift"))[1]["items"]
        assert [(d["station_id"], d["keys"]) for d in drift] == [("EVI00000017", 1)]
        assert cp.changes == [("HeartbeatInterval", "300"), ("RebootKey", "1"), ("NoSuchKey", "1")]


async def test_a_pending_station_gets_its_model_template_then_is_accepted(stack):
    from chalicelib.storage.models import StationItem

    admin = Rest(stack, "acme-admin")
    template = {"vendor": "Ensto", "model": "EVF300", "keys": {"HeartbeatInterval": "120", "MeterValueSampleInterval": "60"}}
    status, created = admin.call("POST", "/configuration-templates", template)
    assert status == 201
    StationItem("ACME", "EVI00000018").update(actions=[StationItem.registration.set("Pending")])
    async with configurable(stack, "EVI00000018") as cp:
        # When it boots: Pending, and the template goes out after the boot's answer
        boot = await cp.call(call.BootNotification(charge_point_model="EVF300", charge_point_vendor="Ensto"))
        assert boot.status == "Pending"
        for _ in range(100):
            if StationItem.get("ACME", "EVI00000018").registration == "Accepted":
                break
            await asyncio.sleep(0.1)
        # Then every key of the template was sent (none known yet), all taken, and the station Accepted
        assert sorted(cp.changes) == [("HeartbeatInterval", "120"), ("MeterValueSampleInterval", "60")]
        assert (await cp.call(call.BootNotification(charge_point_model="EVF300", charge_point_vendor="Ensto"))).status == "Accepted"
        view = (await _rest(admin, "GET", "/stations/EVI00000018/configuration"))[1]
        assert view["applied_template_id"] == created["template_id"] and view["template_id"] == created["template_id"]
        assert view["source"] == "Defined by System" and view["drift"] == 0
        assert {k["key"]: (k["recommended"], k["value"], k["origin"]) for k in view["keys"]} == {
            "HeartbeatInterval": ("120", "120", "Added by System"),
            "MeterValueSampleInterval": ("60", "60", "Added by System"),
        }
