"""Remote commands over REST: one shape for every OCPP call, states, rights, domain, conveniences (moto)."""

from __future__ import annotations

import threading
import time

import pytest

from chalicelib import gateway
from tests.support import LambdaCharger

E13 = "/api/v1/stations/EVI00000013"
FAILED = "Remote command execution failed."


@pytest.fixture
def charger(world, monkeypatch):
    """EVI00000013 connected (moto's @connections keeps what we send it); the REST function knows the API."""
    monkeypatch.setenv("CSMS_WEBSOCKET_API_ID", "abcdef1234")
    monkeypatch.setenv("CSMS_WEBSOCKET_STAGE", "dev")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    gateway.forget()
    station = LambdaCharger("EVI00000013")
    assert station.connect()["statusCode"] == 200
    yield station
    gateway.forget()
    get_settings.cache_clear()


def test_a_command_to_a_connected_charger_is_pending_then_answered(world, charger):
    sent = world.basic.post(f"{E13}/commands", {"action": "Reset", "payload": {"type": "Soft"}})
    assert sent.status == 202
    assert (sent.body["state"], sent.body["operator"], sent.body["message"]) == ("Pending", "t-basic", None)
    command_id = sent.body["command_id"]
    # The charger got the CALL, with the command id as its message id
    assert charger._answer() == [2, command_id, "Reset", {"type": "Soft"}]
    assert charger.send_raw(f'[3,"{command_id}",{{"status":"Accepted"}}]') is None
    shown = world.admin.get(f"{E13}/commands/{command_id}")
    assert shown.status == 200
    body = shown.body
    assert (body["state"], body["response"], body["succeeded"], body["message"], body["error"]) == (
        "Answered", {"status": "Accepted"}, True, None, None)
    assert body["completed_at"] is not None and body["payload"] == {"type": "Soft"}


def test_a_refusal_shows_the_manuals_failure_text_beside_the_detail(world, charger):
    sent = world.admin.post(f"{E13}/commands", {"action": "UnlockConnector", "payload": {"connectorId": 1}})
    charger._answer()
    charger.send_raw(f'[3,"{sent.body["command_id"]}",{{"status":"UnlockFailed"}}]')
    body = world.admin.get(f"{E13}/commands/{sent.body['command_id']}").body
    assert (body["state"], body["response"], body["succeeded"], body["message"]) == (
        "Answered", {"status": "UnlockFailed"}, False, FAILED)
    error = world.admin.post(f"{E13}/commands", {"action": "ClearCache"})
    charger._answer()
    charger.send_raw(f'[4,"{error.body["command_id"]}","InternalError","cache locked",{{}}]')
    body = world.admin.get(f"{E13}/commands/{error.body['command_id']}").body
    assert (body["state"], body["error"], body["message"]) == ("Failed", "InternalError: cache locked", FAILED)


def test_wait_answers_once_the_charger_has_answered(world, charger):
    def answer_soon():
        frame = None
        deadline = time.monotonic() + 4  # the call reaches the charger later on a busy machine (parallel tests)
        while frame is None and time.monotonic() < deadline:
            time.sleep(0.05)
            frame = charger._answer()
        charger.send_raw(f'[3,"{frame[1]}",{{"status":"Accepted"}}]')

    timer = threading.Timer(0.3, answer_soon)
    timer.start()
    try:
        sent = world.admin.post(f"{E13}/commands?wait=5", {"action": "ChangeAvailability", "payload": {"connectorId": 0, "type": "Inoperative"}})
    finally:
        timer.join()
    assert (sent.status, sent.body["state"], sent.body["succeeded"]) == (202, "Answered", True)


def test_a_station_that_is_not_connected_fails_at_once_unless_queued(world):
    sent = world.admin.post(f"{E13}/commands?wait=3", {"action": "ClearCache"})
    assert sent.status == 202
    assert (sent.body["state"], sent.body["error"], sent.body["message"]) == (
        "Offline", "Charging station is not connected.", FAILED)
    queued = world.admin.post(f"{E13}/commands", {"action": "ClearCache", "queue": True})
    assert (queued.body["state"], queued.body["message"], queued.body["deadline_at"]) == ("Queued", None, None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"action": "Reset", "payload": {"type": "Warm"}}, "Reset payload: type: 'Warm' is not one of ['Hard', 'Soft']"),
        ({"action": "Heartbeat"}, "'Heartbeat' is not an OCPP 1.6 command a central system sends"),
        ({"action": "RemoteStopTransaction", "payload": {"connectorId": 1}}, "No active transaction on charging point 1."),
        ({"action": "RemoteStopTransaction", "payload": {"connectorId": 0}},
         "RemoteStopTransaction payload: connectorId must be a charging point number (1 or more)"),
    ],
)
def test_an_invalid_command_is_refused_with_the_reason(world, body, message):
    reply = world.admin.post(f"{E13}/commands", body)
    assert (reply.status, reply.message) == (400, message)
    assert world.admin.get(f"{E13}/commands").body["items"] == []


def test_wait_is_at_most_25_seconds(world):
    reply = world.admin.post(f"{E13}/commands?wait=26", {"action": "ClearCache"})
    assert reply.status == 400
    assert reply.body["errors"] == [{"field": "wait", "message": "Input should be less than or equal to 25"}]


@pytest.mark.parametrize("action", ["UpdateFirmware", "ChangeConfiguration"])
def test_basic_operators_may_not_update_firmware_or_change_configuration(world, action):
    payloads = {"UpdateFirmware": {"location": "https://fw.example/1.bin", "retrieveDate": "2026-01-01T00:00:00Z"},
                "ChangeConfiguration": {"key": "HeartbeatInterval", "value": "60"}}
    denied = world.basic.post(f"{E13}/commands", {"action": action, "payload": payloads[action]})
    assert (denied.status, denied.message) == (403, "Access denied.")
    allowed = world.admin.post(f"{E13}/commands", {"action": action, "payload": payloads[action]})
    assert allowed.status == 202 and allowed.body["operator"] == "t-admin"


def test_stations_outside_the_domain_answer_like_missing_ones(world):
    mine = world.admin.post(f"{E13}/commands", {"action": "ClearCache"}).body["command_id"]
    for reply in (
        world.sibling.post(f"{E13}/commands", {"action": "ClearCache"}),
        world.sibling.get(f"{E13}/commands"),
        world.sibling.get(f"{E13}/commands/{mine}"),
        world.other_org.get(f"{E13}/commands/{mine}"),
        world.admin.post("/api/v1/stations/NOPE/commands", {"action": "ClearCache"}),
    ):
        assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    missing = world.admin.get(f"{E13}/commands/20260101000000000000-nope")
    assert (missing.status, missing.message) == (404, "Command not found.")
    # Another station's command id is not found through this one
    assert world.admin.get(f"/api/v1/stations/EVI00000014/commands/{mine}").status == 404


def test_history_is_newest_first_in_pages(world):
    made = [world.admin.post(f"{E13}/commands", {"action": "ClearCache"}).body["command_id"] for _ in range(3)]
    first = world.basic.get(f"{E13}/commands?limit=2")
    assert [c["command_id"] for c in first.body["items"]] == made[::-1][:2]
    rest = world.basic.get(f"{E13}/commands?limit=2&cursor={first.body['cursor']}")
    assert [c["command_id"] for c in rest.body["items"]] == made[:1] and rest.body["cursor"] is None
    foreign = world.admin.get(f"/api/v1/stations/EVI00000014/commands?cursor={first.body['cursor']}")
    assert (foreign.status, foreign.message) == (400, "Invalid cursor.")


def test_remote_stop_by_connector_stops_its_active_transaction(world, charger):
    charger.frame("boot_notification")
    started = charger.frame("start_transaction")
    transaction_id = started[2]["transactionId"]
    sent = world.admin.post(f"{E13}/commands", {"action": "RemoteStopTransaction", "payload": {"connectorId": 1}})
    assert sent.status == 202 and sent.body["payload"] == {"transactionId": transaction_id}
    assert charger._answer()[2:] == ["RemoteStopTransaction", {"transactionId": transaction_id}]


def test_send_local_list_carries_the_tokens_of_users_with_access_to_the_station(world, charger):
    pine, maple = world.groups["ACME Pine Mall"].group_id, world.groups["ACME Maple Mall"].group_id
    for email, access, tokens in (
        ("pine@duckburg.test", {"access_group_ids": [pine]}, [{"token_id": "AAA111"}, {"token_id": "BBB222", "status": "Blocked"}]),
        ("e13@duckburg.test", {"access_station_ids": ["EVI00000013"]}, [{"token_id": "CCC333"}]),
        ("maple@duckburg.test", {"access_group_ids": [maple]}, [{"token_id": "DDD444"}]),
    ):
        user = {"first_name": "A", "last_name": "B", "email": email, "tokens": tokens, **access}
        assert world.admin.post("/api/v1/charging-users", user).status == 201
    sent = world.admin.post(f"{E13}/commands", {"action": "SendLocalList"})
    assert sent.status == 202
    payload = sent.body["payload"]
    assert payload["updateType"] == "Full" and payload["listVersion"] > 0
    listed = {e["idTag"]: e["idTagInfo"]["status"] for e in payload["localAuthorizationList"]}
    # The demo's own users with access to Pine Mall are there too; Maple Mall's user is not.
    assert {tag: listed.get(tag) for tag in ("AAA111", "BBB222", "CCC333", "DDD444")} == {
        "AAA111": "Accepted", "BBB222": "Blocked", "CCC333": "Accepted", "DDD444": None}
    assert charger._answer()[2] == "SendLocalList"


def test_a_disabled_station_takes_no_remote_start_and_nothing_is_sent(world, charger):
    start = {"action": "RemoteStartTransaction", "payload": {"idTag": "12345678", "connectorId": 1}}
    assert world.admin.put(f"{E13}/maintenance", {"disabled": True}).status == 200
    charger._answer()  # the maintenance ChangeAvailability went out
    refused = world.admin.post(f"{E13}/commands", start)
    assert refused.status == 409
    assert refused.body["message"] == FAILED + " The charging station is disabled or its registration is not Accepted."
    assert charger._answer() is None  # nothing sent
    assert world.admin.put(f"{E13}/maintenance", {"disabled": False}).status == 200
    charger._answer()
    assert world.admin.post(f"{E13}/commands", start).status == 202
