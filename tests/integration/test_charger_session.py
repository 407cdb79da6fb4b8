"""A real charger (the ocpp library's client) against `make run`'s stack: a whole session and the edge cases."""

from __future__ import annotations

import asyncio
import json

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from chalicelib.domain import provisioning
from chalicelib.storage.models import StationDayItem, StationItem, TransactionItem
from tests.integration.chargers import basic, call, charger


def url(stack, station_id, org=None):
    return f"{stack.ws_url}/{org}/{station_id}" if org else f"{stack.ws_url}/{station_id}"


async def test_whole_charging_session(stack):
    async with charger(url(stack, "EVI00000015"), "EVI00000015") as (cp, _):
        boot = await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto",
                                                   firmware_version="A999"))
        assert boot.status == "Accepted" and 0 < boot.interval <= 300
        beat = await cp.call(call.Heartbeat())
        assert beat.current_time.endswith("Z")
        await cp.call(call.StatusNotification(connector_id=1, error_code="NoError", status="Preparing"))
        auth = await cp.call(call.Authorize(id_tag="12345678"))
        assert auth.id_tag_info["status"] == "Accepted"
        start = await cp.call(call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=2_000_000,
                                                    timestamp="2026-11-21T08:00:00Z"))
        tx = start.transaction_id
        await cp.call(call.MeterValues(connector_id=1, transaction_id=tx, meter_value=[
            {"timestamp": "2026-11-21T08:30:00Z",
             "sampledValue": [{"value": "2003.2", "unit": "kWh", "measurand": "Energy.Active.Import.Register"}]}]))
        stop = call.StopTransaction(meter_stop=2_007_510, timestamp="2026-11-21T09:00:00Z", transaction_id=tx,
                                    id_tag="12345678", reason="Local")
        assert (await cp.call(stop)).id_tag_info["status"] == "Accepted"
        # the charger retries the stop after a lost answer: nothing is counted twice
        assert (await cp.call(stop)).id_tag_info["status"] == "Accepted"
    item = TransactionItem.get(tx)
    assert (item.state, item.energy_wh) == ("Completed", 7510)
    day = StationDayItem.get("ACME#EVI00000015", "DAY#2026-11-21")
    assert (day.sessions, day.energy_wh) == (1, 7510)


async def test_malformed_frames_get_callerror_and_the_connection_stays(stack):
    async with websockets.connect(url(stack, "EVI00000016"), subprotocols=["ocpp1.6"]) as ws:
        await ws.send("this is not json")
        assert json.loads(await ws.recv())[:3] == [4, "-1", "FormationViolation"]
        await ws.send('[2,"a1","Teleport",{}]')
        assert json.loads(await ws.recv())[:3] == [4, "a1", "NotImplemented"]
        await ws.send('[2,"a2","StatusNotification",{"connectorId":1}]')
        assert json.loads(await ws.recv())[:3] == [4, "a2", "OccurenceConstraintViolation"]
        await ws.send('[2,"a3","Heartbeat",{}]')
        assert json.loads(await ws.recv())[:2] == [3, "a3"]


async def test_reconnect_replaces_the_old_connection(stack):
    old = await websockets.connect(url(stack, "EVI00000017"), subprotocols=["ocpp1.6"])
    new = await websockets.connect(url(stack, "EVI00000017", "ACME"), subprotocols=["ocpp1.6"])
    try:
        await asyncio.wait_for(old.wait_closed(), 5)  # the CSMS closed the old socket
        await new.send('[2,"n1","Heartbeat",{}]')
        assert json.loads(await new.recv())[:2] == [3, "n1"]
        station = StationItem.get("ACME", "EVI00000017")
        assert station.connected
    finally:
        await new.close()
    for _ in range(50):  # $disconnect of the new socket clears the station
        if not StationItem.get("ACME", "EVI00000017").connected:
            break
        await asyncio.sleep(0.05)
    assert not StationItem.get("ACME", "EVI00000017").connected


async def test_unknown_station_is_refused(stack):
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(url(stack, "NOT-A-STATION"), subprotocols=["ocpp1.6"])
    assert refused.value.response.status_code == 404


async def test_unsupported_subprotocol_is_refused(stack):
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(url(stack, "EVI00000013"), subprotocols=["ocpp2.0.1"])
    assert refused.value.response.status_code == 400


async def test_basic_auth_right_and_wrong(stack):
    provisioning.create_station("ACME", "SECURE-1", password="Very-s3cret", exist_ok=True)
    with pytest.raises(InvalidStatus) as refused:
        await websockets.connect(url(stack, "SECURE-1"), subprotocols=["ocpp1.6"],
                                 additional_headers=basic("SECURE-1", "wrong"))
    assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus):
        await websockets.connect(url(stack, "SECURE-1"), subprotocols=["ocpp1.6"])
    async with charger(url(stack, "SECURE-1"), "SECURE-1", basic("SECURE-1", "Very-s3cret")) as (cp, _):
        assert (await cp.call(call.Heartbeat())).current_time


async def test_query_string_form_and_health(stack):
    import urllib.request

    with urllib.request.urlopen(f"{stack.http_url}/api/v1/health", timeout=5) as answer:
        assert answer.status == 200
    async with websockets.connect(f"{stack.ws_url}?chargePointId=EVI00000014&organization=ACME",
                                  subprotocols=["ocpp1.6"]) as ws:
        await ws.send('[2,"q1","Heartbeat",{}]')
        assert json.loads(await ws.recv())[:2] == [3, "q1"]


def test_gone_connection_marks_the_station_disconnected(stack):
    # Given a station recorded as connected on a socket the gateway no longer has
    from datetime import UTC, datetime

    import app
    from chalicelib.storage import stations
    from tests.support import apigw_event

    ghost = "R2hvc3RDb25uMQ="
    from chalicelib.storage.writes import Writes

    now = datetime.now(UTC)
    stations.take_over("ACME", "EVI00000018", ghost, now)
    writes = Writes()
    stations.add_connection(writes, "ACME", "EVI00000018", ghost, now, {})
    writes.commit()
    assert StationItem.get("ACME", "EVI00000018").connected
    # When a frame's answer is posted to it (API Gateway answers 410 GoneException)
    event = apigw_event("message", ghost, body='[2,"g1","Heartbeat",{}]')
    event["requestContext"].update(apiId="local", stage="local")
    app.ws_message(event, None)
    # Then the station is disconnected
    assert not StationItem.get("ACME", "EVI00000018").connected
