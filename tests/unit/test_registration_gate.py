"""Registration on the charging path, on the in-memory store: BootNotification answers, the requests a
Pending or Rejected station may send (OCPP 1.6 section 4.2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.domain import connections
from chalicelib.domain.identity import StationIdentity
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Station
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame
from chalicelib.protocol.v16 import ROUTES
from chalicelib.settings import get_settings

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
BOOT = ["BootNotification", {"chargePointVendor": "Ensto", "chargePointModel": "Pro"}]
AUTHORIZE = ["Authorize", {"idTag": "12345678"}]
HEARTBEAT = ["Heartbeat", {}]


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        connections._CACHE.clear()
        yield store
        connections._CACHE.clear()


def connect(memory, registration: str, connection_id: str = "c1") -> StationContext:
    memory.stations.add(Station("ACME", "CP1", registration=registration))
    who = StationIdentity("ACME", "CP1", {}, registration, NOW)
    assert connections.connected(who, connection_id, NOW)
    return ctx_of(connection_id)


def ctx_of(connection_id: str) -> StationContext:
    who = connections.station_of(connection_id)
    return StationContext(who.org_id, who.station_id, connection_id, registration=who.registration)


def send(ctx: StationContext, call: list) -> list:
    return json.loads(handle_frame(ctx, json.dumps([2, "m1", *call]), ROUTES))


def test_a_pending_station_is_answered_pending_and_may_send_only_what_a_trigger_asks(memory):
    ctx = connect(memory, "Pending")
    boot = send(ctx, BOOT)
    assert (boot[2]["status"], boot[2]["interval"]) == ("Pending", 60)
    assert send(ctx, HEARTBEAT)[0] == 3
    refused = send(ctx, AUTHORIZE)
    assert refused[:3] == [4, "m1", "SecurityError"]
    assert refused[3] == "Authorize refused: the charge point's registration is Pending; send a BootNotification"


def test_a_rejected_station_may_send_nothing_but_a_boot_and_waits_long(memory):
    ctx = connect(memory, "Rejected")
    boot = send(ctx, BOOT)
    assert (boot[2]["status"], boot[2]["interval"]) == ("Rejected", 900)
    assert send(ctx, HEARTBEAT)[2] == "SecurityError"


def test_accepted_by_an_operator_the_next_boot_opens_every_request(memory):
    # Given a Pending station, connected
    ctx = connect(memory, "Pending")
    assert send(ctx, AUTHORIZE)[2] == "SecurityError"
    # When an operator accepts it and it boots again
    memory.station_settings.set_registration("ACME", "CP1", "Accepted")
    boot = send(ctx, BOOT)
    # Then
    assert (boot[2]["status"], boot[2]["interval"]) == ("Accepted", get_settings().heartbeat_interval)
    assert memory.connections.get("c1").registration == "Accepted"
    connections._CACHE.clear()  # another container: reads the connection
    assert send(ctx_of("c1"), AUTHORIZE)[0] == 3


def test_a_remembered_pending_is_read_again_before_a_refusal(memory):
    # Given a container that remembers the connection as Pending
    ctx = connect(memory, "Pending")
    # When another container answered a BootNotification Accepted meanwhile
    memory.connections.set_registration("c1", "Accepted")
    # Then this one lets the request through, and remembers it
    assert send(ctx, AUTHORIZE)[0] == 3
    assert connections.station_of("c1").registration == "Accepted"


def test_an_accepted_station_is_unchanged_by_the_gate(memory):
    ctx = connect(memory, "Accepted")
    assert send(ctx, AUTHORIZE)[0] == 3
    assert memory.connections.get("c1").registration == "Accepted"
