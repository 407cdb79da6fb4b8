"""Charging points: sockets (1 to 4 each, type and power) and the live status of every point."""

from __future__ import annotations

import pytest

from tests.support import LambdaCharger

STATIONS = "/api/v1/stations"
TYPE2 = {"type": "Type-2", "max_kw": 22}


def _points(world, station_id: str, points: list, version: int | None = None):
    if version is None:
        version = world.admin.get(f"{STATIONS}/{station_id}").body["version"]
    return world.admin.put(f"{STATIONS}/{station_id}/points", {"points": points, "version": version})


def _status(world, station_id: str = "EVI00000013", client=None) -> list[tuple]:
    reply = (client or world.admin).get(f"{STATIONS}/{station_id}/status")
    assert reply.status == 200, reply
    return [(p["point"], p["status"]) for p in reply.body["points"]]


def _charger(station_id: str = "EVI00000013") -> LambdaCharger:
    charger = LambdaCharger(station_id)
    assert charger.connect()["statusCode"] == 200
    return charger


def _notify(charger: LambdaCharger, connector: int, status: str, error: str = "NoError") -> None:
    charger.call("StatusNotification", {"connectorId": connector, "errorCode": error, "status": status, "timestamp": "2026-11-21T10:00:00Z"})


# --- sockets -------------------------------------------------------------------------------------------
def test_points_with_their_sockets(world):
    # Given a station with one undescribed point
    # When the admin describes two points, the first with a Type-2 and a Schuko socket
    reply = _points(world, "EVI00000013", [{"sockets": [TYPE2, {"type": "Schuko", "max_kw": 3.7}]}, {"sockets": [TYPE2]}])
    # Then the station has two points with those sockets
    assert reply.status == 200, reply
    assert reply.body["point_count"] == 2
    assert [p["sockets"] for p in reply.body["points"]] == [
        [{"type": "Type-2", "max_kw": 22.0}, {"type": "Schuko", "max_kw": 3.7}],
        [{"type": "Type-2", "max_kw": 22.0}],
    ]
    row = next(s for s in world.admin.get(STATIONS + "?q=0013").body["items"])
    assert row["point_count"] == 2
    group = world.admin.get(f"/api/v1/groups/{world.groups['ACME Pine Mall'].group_id}").body
    assert {s["station_id"]: s["point_count"] for s in group["stations"]}["EVI00000013"] == 2


def test_socket_types_as_the_manual_spells_them(world):
    reply = _points(world, "EVI00000013", [{"sockets": [{"type": "Chademo", "max_kw": 50}, {"type": "ccs", "max_kw": 150}, {"type": "Type-1", "max_kw": 7.4}]}])
    assert reply.status == 200
    assert [s["type"] for s in reply.body["points"][0]["sockets"]] == ["CHAdeMO", "CCS", "Type-1"]


@pytest.mark.parametrize(
    "points",
    [
        [{"sockets": [TYPE2] * 5}],
        [{"sockets": []}],
        [],
        [{"sockets": [{"type": "Tesla", "max_kw": 11}]}],
        [{"sockets": [{"type": "CCS", "max_kw": 0}]}],
        [{"sockets": [{"type": "CCS", "max_kw": -5}]}],
        [{"sockets": [{"type": "CCS"}]}],
    ],
    ids=["five sockets", "no socket", "no point", "unknown type", "zero kW", "negative kW", "no power"],
)
def test_socket_limits(world, points):
    reply = _points(world, "EVI00000013", points)
    assert reply.status == 400 and reply.message == "Invalid request."
    assert world.admin.get(f"{STATIONS}/EVI00000013").body["point_count"] == 1


def test_four_sockets_is_the_most(world):
    assert _points(world, "EVI00000013", [{"sockets": [TYPE2] * 4}]).status == 200


def test_points_need_the_version_seen_and_admin_rights(world):
    version = world.admin.get(f"{STATIONS}/EVI00000013").body["version"]
    assert _points(world, "EVI00000013", [{"sockets": [TYPE2]}], version).status == 200
    stale = _points(world, "EVI00000013", [{"sockets": [TYPE2]}], version)
    assert (stale.status, stale.message) == (409, "Charging station does not exist.")
    basic = world.basic.put(f"{STATIONS}/EVI00000013/points", {"points": [{"sockets": [TYPE2]}], "version": version + 1})
    assert (basic.status, basic.message) == (403, "Access denied.")


# --- live status -----------------------------------------------------------------------------------------
def test_a_disconnected_station_is_offline(world):
    assert _status(world) == [(1, "Offline")]


def test_live_status_follows_the_charger(world):
    # Given a station with two points, connected
    _points(world, "EVI00000013", [{"sockets": [TYPE2]}, {"sockets": [TYPE2]}])
    charger = _charger()
    # Before any status: unknown points show as Unavailable
    assert _status(world) == [(1, "Unavailable"), (2, "Unavailable")]
    # When the charger reports its connectors
    for connector, status, display in (
        (1, "Charging", "Charging"),
        (1, "Faulted", "Issue detected"),
        (1, "SuspendedEV", "Suspended"),
        (1, "SuspendedEVSE", "Suspended"),
        (1, "Preparing", "Charging"),
        (1, "Finishing", "Charging"),
        (1, "Reserved", "Unavailable"),
        (1, "Unavailable", "Unavailable"),
        (1, "Available", "Available"),
    ):
        _notify(charger, connector, status)
        # Then each point shows the manual's status, with the OCPP one alongside
        assert _status(world)[0] == (1, display), status
    _notify(charger, 2, "Charging")
    reply = world.admin.get(f"{STATIONS}/EVI00000013/status").body
    assert [(p["point"], p["status"], p["ocpp_status"]) for p in reply["points"]] == [(1, "Available", "Available"), (2, "Charging", "Charging")]
    assert reply["connected"] is True and reply["points"][1]["since"] == "2026-11-21T10:00:00Z"
    # And when it disconnects every point is Offline
    charger.disconnect()
    assert _status(world) == [(1, "Offline"), (2, "Offline")]


def test_station_wide_status_and_unconfigured_connectors(world):
    charger = _charger()
    _notify(charger, 0, "Faulted", "OtherError")
    _notify(charger, 3, "Available")
    reply = world.admin.get(f"{STATIONS}/EVI00000013/status").body
    assert reply["station_status"] == "Faulted"
    assert [(p["point"], p["status"], p["configured"]) for p in reply["points"]] == [(1, "Issue detected", True), (3, "Available", False)]


def test_a_rejected_station_is_disabled(world):
    from chalicelib.storage.models import StationItem

    charger = _charger()
    _notify(charger, 1, "Available")
    StationItem("ACME", "EVI00000013").update(actions=[StationItem.registration.set("Rejected")])
    assert _status(world) == [(1, "Disabled")]
    charger.disconnect()
    assert _status(world) == [(1, "Disabled")]


def test_details_carry_boot_data_and_live_status(world):
    charger = _charger()
    charger.frame("boot_notification")
    charger.frame("status_notification")
    body = world.admin.get(f"{STATIONS}/EVI00000013").body
    assert (body["vendor"], body["model"], body["firmware_version"], body["meter_type"]) == ("Ensto", "EVF200", "A999", "EM24")
    assert body["connected"] is True and body["last_seen_at"] is not None
    assert [(p["point"], p["status"], p["info"]) for p in body["points"]] == [(1, "Charging", "Status Update -Type2-")]
    assert world.admin.get(STATIONS + "?q=0013").body["items"][0]["firmware_version"] == "A999"


def test_status_outside_the_domain_is_missing(world):
    for client in (world.sibling, world.other_org):
        reply = client.get(f"{STATIONS}/EVI00000013/status")
        assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    assert _status(world, "EVI00000015", world.sibling) == [(1, "Offline")]
