"""Remote commands end to end on the local stack: REST -> @connections -> a real charger -> its answer -> REST."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest
import websockets

from chalicelib.domain import connections
from tests.integration.chargers import call, charger

FAILED = "Remote command execution failed."


class Rest:
    """An operator's REST session on the stack (blocking: run it in a thread while a charger answers)."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.token = None
        self.token = self.request("POST", "/api/v1/auth/login", {"username": username, "password": password})[1]["token"]

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=40) as answer:  # noqa: S310 (the local stack)
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    async def command(self, station_id: str, action: str, payload: dict | None = None, wait: int = 0, **extra) -> dict:
        body = {"action": action, "payload": payload or {}, **extra}
        status, answer = await asyncio.to_thread(self.request, "POST", f"/api/v1/stations/{station_id}/commands?wait={wait}", body)
        assert status == 202, answer
        return answer

    def get(self, station_id: str, command_id: str) -> dict:
        status, answer = self.request("GET", f"/api/v1/stations/{station_id}/commands/{command_id}")
        assert status == 200, answer
        return answer


@pytest.fixture(scope="module")
def admin(stack):
    return Rest(stack.http_url, "acme-admin", stack.credentials["acme-admin"])


def url(stack, station_id: str) -> str:
    return f"{stack.ws_url}/{station_id}"


async def boot(cp) -> None:
    answer = await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
    assert answer.status == "Accepted"


PROFILE = {"connectorId": 1, "csChargingProfiles": {
    "chargingProfileId": 7, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile", "chargingProfileKind": "Absolute",
    "chargingSchedule": {"chargingRateUnit": "A", "startSchedule": "2026-11-26T00:00:00Z",
                         "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}}}
# action, payload, what the charger got (its library's snake_case), the answer the REST API shows
EVERY_COMMAND = [
    ("Reset", {"type": "Soft"}, {"type": "Soft"}, {"status": "Accepted"}),
    ("UnlockConnector", {"connectorId": 1}, {"connector_id": 1}, {"status": "Unlocked"}),
    ("RemoteStartTransaction", {"idTag": "12345678", "connectorId": 1}, {"id_tag": "12345678", "connector_id": 1}, {"status": "Accepted"}),
    ("ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, {"connector_id": 0, "type": "Inoperative"}, {"status": "Accepted"}),
    ("ClearCache", {}, {}, {"status": "Accepted"}),
    ("TriggerMessage", {"requestedMessage": "Heartbeat"}, {"requested_message": "Heartbeat"}, {"status": "Accepted"}),
    ("DataTransfer", {"vendorId": "Ensto", "data": "ping"}, {"vendor_id": "Ensto", "data": "ping"}, {"status": "Accepted", "data": "pong"}),
    ("ReserveNow", {"connectorId": 1, "expiryDate": "2026-12-01T10:00:00Z", "idTag": "12345678", "reservationId": 3},
     {"connector_id": 1, "expiry_date": "2026-12-01T10:00:00Z", "id_tag": "12345678", "reservation_id": 3}, {"status": "Accepted"}),
    ("CancelReservation", {"reservationId": 3}, {"reservation_id": 3}, {"status": "Accepted"}),
    ("SetChargingProfile", PROFILE, None, {"status": "Accepted"}),
    ("ClearChargingProfile", {"id": 7}, {"id": 7}, {"status": "Accepted"}),
    ("GetCompositeSchedule", {"connectorId": 1, "duration": 3600}, {"connector_id": 1, "duration": 3600},
     {"status": "Accepted", "connectorId": 1}),
]


async def test_every_command_end_to_end(stack, admin):
    async with charger(url(stack, "EVI00000013"), "EVI00000013") as (cp, _):
        await boot(cp)
        for action, payload, received, response in EVERY_COMMAND:
            done = await admin.command("EVI00000013", action, payload, wait=10)
            assert (done["state"], done["response"], done["succeeded"], done["message"]) == ("Answered", response, True, None), action
            got_action, got = cp.received[-1]
            assert got_action == action
            if received is not None:
                assert got == received, action
        # A refusal is an answer too, shown with the manual's failure text
        cp.statuses["Reset"] = "Rejected"
        refused = await admin.command("EVI00000013", "Reset", {"type": "Hard"}, wait=10)
        assert (refused["state"], refused["response"], refused["message"]) == ("Answered", {"status": "Rejected"}, FAILED)


async def test_local_list_and_its_version(stack, admin):
    async with charger(url(stack, "EVI00000014"), "EVI00000014") as (cp, _):
        await boot(cp)
        sent = await admin.command("EVI00000014", "SendLocalList", wait=10)
        assert sent["state"] == "Answered" and sent["succeeded"]
        tags = {e["idTag"]: e["idTagInfo"]["status"] for e in sent["payload"]["localAuthorizationList"]}
        assert tags.get("12345678") == "Accepted"  # the demo's user with access to the Pine Mall
        version = await admin.command("EVI00000014", "GetLocalListVersion", wait=10)
        assert version["response"] == {"listVersion": sent["payload"]["listVersion"]}


async def test_remote_stop_by_charging_point(stack, admin):
    async with charger(url(stack, "EVI00000015"), "EVI00000015") as (cp, _):
        await boot(cp)
        start = await cp.call(call.StartTransaction(connector_id=2, id_tag="12345678", meter_start=0,
                                                    timestamp="2026-11-26T06:00:00Z"))
        stopped = await admin.command("EVI00000015", "RemoteStopTransaction", {"connectorId": 2}, wait=10)
        assert stopped["state"] == "Answered" and stopped["payload"] == {"transactionId": start.transaction_id}
        assert cp.received[-1] == ("RemoteStopTransaction", {"transaction_id": start.transaction_id})


async def raw_boot(ws) -> None:
    await ws.send(json.dumps([2, "boot-1", "BootNotification", {"chargePointModel": "M", "chargePointVendor": "V"}]))
    answer = json.loads(await ws.recv())
    assert answer[:2] == [3, "boot-1"] and answer[2]["status"] == "Accepted"


async def test_a_charger_that_never_answers_times_out_through_the_minute_job(stack, admin):
    async with websockets.connect(url(stack, "EVI00000016"), subprotocols=["ocpp1.6"]) as ws:
        await raw_boot(ws)
        sent = await admin.command("EVI00000016", "ClearCache", timeout=1)
        frame = json.loads(await ws.recv())
        assert frame == [2, sent["command_id"], "ClearCache", {}]
        await asyncio.sleep(1.2)
        await asyncio.to_thread(stack.scheduler.fire)
        shown = admin.get("EVI00000016", sent["command_id"])
        assert (shown["state"], shown["message"]) == ("TimedOut", FAILED)
        assert shown["error"] == "No answer from the charging station before the deadline."
        # The answer that comes too late changes nothing
        await ws.send(json.dumps([3, sent["command_id"], {"status": "Accepted"}]))
        await ws.send(json.dumps([2, "hb", "Heartbeat", {}]))
        assert json.loads(await ws.recv())[:2] == [3, "hb"]
        assert admin.get("EVI00000016", sent["command_id"])["state"] == "TimedOut"


async def test_a_schema_invalid_answer_fails_the_command_with_the_reason(stack, admin):
    async with websockets.connect(url(stack, "EVI00000016"), subprotocols=["ocpp1.6"]) as ws:
        await raw_boot(ws)
        sent = await admin.command("EVI00000016", "Reset", {"type": "Soft"})
        frame = json.loads(await ws.recv())
        await ws.send(json.dumps([3, frame[1], {"status": "Maybe"}]))
        done = await admin.command("EVI00000016", "ClearCache")  # any later request: the answer was handled by then
        await ws.send(json.dumps([4, json.loads(await ws.recv())[1], "NotSupported", "no cache here", {}]))
        await ws.send(json.dumps([2, "hb", "Heartbeat", {}]))
        assert json.loads(await ws.recv())[:2] == [3, "hb"]
    shown = admin.get("EVI00000016", sent["command_id"])
    assert (shown["state"], shown["message"], shown["response"]) == ("Failed", FAILED, None)
    assert shown["error"] == "Invalid answer: status: 'Maybe' is not one of ['Accepted', 'Rejected']"
    refused = admin.get("EVI00000016", done["command_id"])
    assert (refused["state"], refused["error"]) == ("Failed", "NotSupported: no cache here")


async def test_a_charger_that_disconnects_mid_command_fails_it_at_once(stack, admin):
    async with websockets.connect(url(stack, "EVI00000017"), subprotocols=["ocpp1.6"]) as ws:
        await raw_boot(ws)
        sent = await admin.command("EVI00000017", "UnlockConnector", {"connectorId": 1}, timeout=300)
        assert json.loads(await ws.recv())[1] == sent["command_id"]
    # Gone: the call in flight fails with its $disconnect (not 5 minutes later), the next command at once
    shown = await settled(admin, "EVI00000017", sent["command_id"])
    assert (shown["state"], shown["message"]) == ("Failed", FAILED)
    assert shown["error"] == "The charging station disconnected before answering."
    offline = await admin.command("EVI00000017", "ClearCache", wait=5)
    assert (offline["state"], offline["error"], offline["message"]) == ("Offline", "Charging station is not connected.", FAILED)


async def settled(admin, station_id: str, command_id: str, within: float = 10.0) -> dict:
    """The command once it left Pending (the gateway runs $disconnect after the socket closed)."""
    for _ in range(int(within / 0.1)):
        shown = await asyncio.to_thread(admin.get, station_id, command_id)
        if shown["state"] != "Pending":
            return shown
        await asyncio.sleep(0.1)
    return shown


async def test_a_queued_command_is_sent_once_after_the_next_boot(stack, admin):
    queued = await admin.command("EVI00000018", "ChangeAvailability", {"connectorId": 0, "type": "Operative"}, queue=True)
    assert queued["state"] == "Queued"
    async with websockets.connect(url(stack, "EVI00000018"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send(json.dumps([2, "hb-0", "Heartbeat", {}]))  # not a boot: nothing is sent yet
        assert json.loads(await ws.recv())[:2] == [3, "hb-0"]
        await raw_boot(ws)  # the boot's answer comes first ...
        frame = json.loads(await asyncio.wait_for(ws.recv(), 5))  # ... then our queued call
        assert frame == [2, queued["command_id"], "ChangeAvailability", {"connectorId": 0, "type": "Operative"}]
        await ws.send(json.dumps([3, frame[1], {"status": "Accepted"}]))
    async with websockets.connect(url(stack, "EVI00000018"), subprotocols=["ocpp1.6"]) as ws:
        await raw_boot(ws)  # a second boot sends nothing again
        await ws.send(json.dumps([2, "hb-1", "Heartbeat", {}]))
        assert json.loads(await ws.recv())[:2] == [3, "hb-1"]
    shown = admin.get("EVI00000018", queued["command_id"])
    assert (shown["state"], shown["response"], shown["succeeded"]) == ("Answered", {"status": "Accepted"}, True)


async def test_the_answer_is_completed_from_the_record_in_another_invocation(stack, admin):
    """Two containers: the invocation that handles the answer shares no memory with the one that sent."""
    from chalicelib.ports.registry import install
    from chalicelib.storage.store import dynamo_store

    async with websockets.connect(url(stack, "EVI00000013"), subprotocols=["ocpp1.6"]) as ws:
        await raw_boot(ws)
        sent = await admin.command("EVI00000013", "TriggerMessage", {"requestedMessage": "StatusNotification"})
        frame = json.loads(await ws.recv())
        # A fresh container: no connection cache, a new store with new port objects
        connections._CACHE.clear()
        install(dynamo_store())
        await ws.send(json.dumps([3, frame[1], {"status": "Accepted"}]))
        await ws.send(json.dumps([2, "hb", "Heartbeat", {}]))
        assert json.loads(await ws.recv())[:2] == [3, "hb"]
    shown = admin.get("EVI00000013", sent["command_id"])
    assert (shown["state"], shown["response"]) == ("Answered", {"status": "Accepted"})
