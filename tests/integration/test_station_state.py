"""Station state through the local stack with a real charger: registration Pending / Rejected / Accepted,
maintenance disable, deleting a connected station, pushing a new password."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
from ocpp.exceptions import SecurityError
from ocpp.routing import after, on
from ocpp.v16 import call_result
from ocpp.v16.enums import Action
from websockets.exceptions import InvalidStatus

from tests.integration.chargers import Charger, basic, call, charger

V1 = "/api/v1"


class Obedient(Charger):
    """A charger that accepts our calls, remembers them, and boots again when asked to."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.asked: list[tuple[str, dict]] = []
        self.booted: list[str] = []

    @on(Action.change_availability)
    def on_change_availability(self, connector_id, type):  # noqa: A002 (the OCPP field name)
        self.asked.append(("ChangeAvailability", {"connectorId": connector_id, "type": type}))
        return call_result.ChangeAvailability(status="Accepted")

    @on(Action.change_configuration)
    def on_change_configuration(self, key, value):
        self.asked.append(("ChangeConfiguration", {"key": key, "value": value}))
        return call_result.ChangeConfiguration(status="Accepted")

    @on(Action.trigger_message)
    def on_trigger_message(self, requested_message, **_):
        self.asked.append(("TriggerMessage", {"requestedMessage": requested_message}))
        return call_result.TriggerMessage(status="Accepted")

    @after(Action.trigger_message)
    async def boot_when_asked(self, requested_message, **_):
        if requested_message == "BootNotification":  # the library runs this as a task of its own
            answer = await self.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
            self.booted.append(answer.status)


class Api:
    def __init__(self, stack) -> None:
        self.base = stack.http_url + V1
        password = stack.credentials["acme-admin"]
        self.token = self._send("POST", "/auth/login", {"username": "acme-admin", "password": password}, None)[1]["token"]

    def _send(self, method: str, path: str, body, token) -> tuple[int, dict]:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=40) as answer:  # noqa: S310 (the local stack)
                text = answer.read()
                return answer.status, json.loads(text) if text else {}
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    async def __call__(self, method: str, path: str, body=None) -> tuple[int, dict]:
        # In a thread: the charger's own loop must keep answering while a request waits for it.
        return await asyncio.to_thread(self._send, method, path, body, self.token)


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack)


async def new_station(api, station_id: str) -> str:
    status, _ = await api("POST", "/stations", {"station_id": station_id})
    assert status == 201
    return station_id


def url(stack, station_id: str) -> str:
    return f"{stack.ws_url}/ACME/{station_id}"


def obedient(stack, station_id: str, headers: dict | None = None):
    return charger(url(stack, station_id), station_id, headers, charger_class=Obedient)


async def boot(cp) -> object:
    return await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))


async def eventually(check, seconds: float = 5.0):
    for _ in range(int(seconds / 0.05)):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return await check()


async def test_a_pending_station_is_held_until_an_admin_accepts_it(stack, api):
    # Given a station an admin holds Pending
    station_id = await new_station(api, "ST-PENDING")
    assert (await api("PUT", f"/stations/{station_id}/registration", {"registration": "Pending"}))[0] == 200
    async with obedient(stack, station_id) as (cp, _):
        # When it boots, Then it is told Pending and may not authorize anyone
        answer = await boot(cp)
        assert (answer.status, answer.interval) == ("Pending", 60)
        with pytest.raises(SecurityError):
            await cp.call(call.Authorize(id_tag="12345678"), suppress=False)
        # When an admin accepts it, Then it is asked to boot and is Accepted
        status, body = await api("PUT", f"/stations/{station_id}/registration", {"registration": "Accepted"})
        assert status == 200 and body["registration"] == "Accepted"
        assert await eventually(lambda: _true(cp.booted == ["Accepted"]))
        assert (await cp.call(call.Authorize(id_tag="12345678"))).id_tag_info["status"] == "Accepted"


async def _true(value: bool) -> bool:
    return value


async def test_a_rejected_station_is_disconnected_and_refused_after_its_boot(stack, api):
    station_id = await new_station(api, "ST-REJECTED")
    async with obedient(stack, station_id) as (cp, ws):
        assert (await boot(cp)).status == "Accepted"
        # When an admin rejects it while connected, Then its socket is closed
        assert (await api("PUT", f"/stations/{station_id}/registration", {"registration": "Rejected"}))[0] == 200
        await asyncio.wait_for(ws.wait_closed(), 5)
    async with obedient(stack, station_id) as (cp, _):
        answer = await boot(cp)
        assert (answer.status, answer.interval) == ("Rejected", 900)
        with pytest.raises(SecurityError):
            await cp.call(call.Heartbeat(), suppress=False)


async def test_maintenance_makes_every_connector_inoperative_now_or_after_the_next_boot(stack, api):
    station_id = await new_station(api, "ST-MAINT")
    # Given an offline station disabled for maintenance
    status, body = await api("PUT", f"/stations/{station_id}/maintenance", {"disabled": True})
    assert status == 200 and body["command"]["state"] == "Queued"
    async with obedient(stack, station_id) as (cp, _):
        # When it connects and boots, Then it is told all connectors are Inoperative
        await boot(cp)
        inoperative = ("ChangeAvailability", {"connectorId": 0, "type": "Inoperative"})
        assert await eventually(lambda: _true(cp.asked == [inoperative]))
        # When enabled again while connected, Then Operative at once
        status, body = await api("PUT", f"/stations/{station_id}/maintenance", {"disabled": False})
        assert body["station"]["maintenance"] is False
        assert await eventually(lambda: _true(cp.asked[-1] == ("ChangeAvailability", {"connectorId": 0, "type": "Operative"})))
        # And all connectors unavailable, answered within the request
        status, body = await api("POST", f"/stations/{station_id}/availability", {"available": False, "wait": 10})
        assert (status, body["state"], body["response"], body["message"]) == (200, "Answered", {"status": "Accepted"}, None)
    details = (await api("GET", f"/stations/{station_id}"))[1]
    assert details["maintenance"] is False


async def test_deleting_and_purging_a_connected_station_disconnects_it(stack, api):
    station_id = await new_station(api, "ST-DELETE")
    async with obedient(stack, station_id) as (cp, ws):
        await boot(cp)
        assert (await api("DELETE", f"/stations/{station_id}"))[0] == 204
        await asyncio.wait_for(ws.wait_closed(), 5)
    async with obedient(stack, station_id) as (cp, ws):
        assert (await boot(cp)).status == "Pending"  # an orphan is held until adopted and accepted
        assert (await api("POST", f"/stations/{station_id}/purge"))[0] == 204
        await asyncio.wait_for(ws.wait_closed(), 5)
    with pytest.raises(InvalidStatus):
        async with obedient(stack, station_id):
            pass


async def test_a_new_password_is_pushed_and_the_station_logs_in_with_it(stack, api):
    station_id = await new_station(api, "ST-CRED")
    async with obedient(stack, station_id) as (cp, _):
        await boot(cp)
        status, body = await api("POST", f"/stations/{station_id}/credentials", {"wait": 10})
        assert status == 201
        assert (body["pushed"]["state"], body["pushed"]["message"]) == ("Answered", None)
        assert cp.asked == [("ChangeConfiguration", {"key": "AuthorizationKey", "value": body["authorization_key"]})]
        # The command's history never shows the key (write-only in OCPP)
        shown = (await api("GET", f"/stations/{station_id}/commands/{body['pushed']['command_id']}"))[1]
        assert shown["payload"] == {"key": "AuthorizationKey", "value": "********"}
    password = body["password"]
    # A conformant charger presents the decoded key; the station's first log-in with it retires "no password"
    async with obedient(stack, station_id, basic(station_id, password)) as (cp, _):
        assert (await boot(cp)).status == "Accepted"
    with pytest.raises(InvalidStatus) as refused:
        async with obedient(stack, station_id):
            pass
    assert refused.value.response.status_code == 401
