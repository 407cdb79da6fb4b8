"""Station metadata and registration through the REST API: validation texts, uniqueness, rights, views."""

from __future__ import annotations

STATIONS = "/api/v1/stations"
E13, E14, E15 = (f"{STATIONS}/EVI000000{n}" for n in (13, 14, 15))


def version(world, path: str) -> int:
    return world.admin.get(path).body["version"]


def put_metadata(world, path: str, client=None, **fields):
    body = {"version": version(world, path), **fields}
    return (client or world.admin).put(path + "/metadata", body)


def test_metadata_is_shown_with_the_station(world):
    # Given / When
    reply = put_metadata(world, E13, evse_code="PINE-1", evse_name="Pine entry", emi3_id="fi*ens*e13", roaming=True)
    # Then
    assert reply.status == 200, reply
    body = reply.body
    assert (body["evse_code"], body["evse_name"], body["emi3_id"], body["roaming"]) == ("PINE-1", "Pine entry", "FI*ENS*E13", True)
    assert body["version"] == 1
    assert world.basic.get(E13).body["evse_code"] == "PINE-1"


def test_an_evse_code_is_unique_in_the_organization(world):
    assert put_metadata(world, E13, evse_code="PINE-1").status == 200
    taken = put_metadata(world, E14, evse_code="pine-1")
    assert (taken.status, taken.message) == (409, "EVSE code is already used by another charging station of your organization.")
    # Freed when the first station takes another code.
    assert put_metadata(world, E13, evse_code="PINE-2").status == 200
    assert put_metadata(world, E14, evse_code="PINE-1").status == 200
    # Another organization may use the same code.
    glx = f"{STATIONS}/GLX-1"
    body = {"version": world.other_org.get(glx).body["version"], "evse_code": "PINE-2"}
    assert world.other_org.put(glx + "/metadata", body).status == 200


def test_an_invalid_emi3_id_is_refused_with_the_reason(world):
    for value, text in (
        ("XX*ENS*E1", "eMI3 ID must start with an ISO 3166-1 country code; XX is not one."),
        ("FI*ENSE1", "eMI3 ID must use the separator '*' after both the country code and the operator ID, or after neither."),
        ("FI*ENS*S1", "eMI3 ID must be a country code, an operator ID of 3 letters or digits, \"E\" and the EVSE's identifier (1-30 letters, digits or '*'), e.g. FI*ENS*E12345."),
    ):
        reply = put_metadata(world, E13, emi3_id=value)
        assert (reply.status, reply.message) == (400, text)
    assert world.admin.get(E13).body["emi3_id"] is None  # nothing kept


def test_a_stale_version_and_a_bad_code_change_nothing(world):
    stale = world.admin.put(E13 + "/metadata", {"version": 5, "evse_name": "x"})
    assert (stale.status, stale.message) == (409, "Charging station does not exist.")
    bad = put_metadata(world, E13, evse_code="a/b")
    assert (bad.status, bad.message) == (400, "EVSE code may contain only letters, digits and '-', '_', '.', '*' (at most 48).")


def test_only_admins_edit_metadata_and_registration(world):
    denied = put_metadata(world, E13, client=world.basic, evse_name="x")
    assert (denied.status, denied.message) == (403, "Access denied.")
    denied = world.basic.put(E13 + "/registration", {"registration": "Rejected"})
    assert (denied.status, denied.message) == (403, "Access denied.")
    hidden = world.sibling.put(E13 + "/registration", {"registration": "Rejected"})
    assert (hidden.status, hidden.message) == (404, "Charging station does not exist.")


def test_registration_is_set_and_shown_as_disabled_points(world):
    reply = world.admin.put(E13 + "/registration", {"registration": "Rejected"})
    assert reply.status == 200 and reply.body["registration"] == "Rejected"
    assert [p["status"] for p in reply.body["points"]] == ["Disabled"]
    bad = world.admin.put(E13 + "/registration", {"registration": "Maybe"})
    assert bad.status == 400


def test_a_deleted_station_is_held_pending_until_adopted_and_accepted(world):
    # Given a station deleted from its group (an orphan)
    assert world.admin.delete(E15).status == 204
    assert world.admin.get(E15).body["registration"] == "Pending"
    # When an admin adopts it into a group and accepts it
    birch = world.groups["ACME Birch Mall"].group_id
    adopted = world.admin.put(E15, {"name": "Back", "group_id": birch, "version": version(world, E15)})
    assert adopted.status == 200 and adopted.body["registration"] == "Pending"
    accepted = world.admin.put(E15 + "/registration", {"registration": "Accepted"})
    # Then
    assert accepted.body["registration"] == "Accepted" and accepted.body["orphan"] is False


def test_maintenance_of_an_offline_station_queues_all_connectors_inoperative(world):
    # Given / When a basic operator disables an offline station
    reply = world.basic.put(E13 + "/maintenance", {"disabled": True})
    # Then
    assert reply.status == 200, reply
    station, command = reply.body["station"], reply.body["command"]
    assert station["maintenance"] is True and [p["status"] for p in station["points"]] == ["Disabled"]
    assert (command["action"], command["state"], command["message"]) == ("ChangeAvailability", "Queued", None)
    assert world.admin.get(E13 + "/status").body["maintenance"] is True
    # and enabling it queues Operative
    back = world.basic.put(E13 + "/maintenance", {"disabled": False})
    assert back.body["station"]["maintenance"] is False and back.body["command"]["state"] == "Queued"


def test_all_connectors_of_an_offline_station_cannot_be_switched(world):
    reply = world.basic.post(E13 + "/availability", {"available": False, "wait": 0})
    assert reply.status == 200
    assert (reply.body["state"], reply.body["message"]) == ("Offline", "Remote command execution failed.")
    assert reply.body["error"] == "Charging station is not connected."


def test_a_disabled_station_is_not_made_available_by_the_connectors_switch(world):
    world.admin.put(E13 + "/maintenance", {"disabled": True})
    reply = world.admin.post(E13 + "/availability", {"available": True})
    assert (reply.status, reply.message) == (409, "Charging station is disabled for maintenance: enable it first.")


def test_new_credentials_of_an_offline_station_come_with_the_manual_steps(world):
    reply = world.admin.post(E13 + "/credentials", {})
    assert reply.status == 201, reply
    body = reply.body
    password = body["password"]
    assert len(password) == 20 and password.isalnum()
    assert body["authorization_key"] == password.encode().hex()
    assert body["pushed"] is None
    assert any(password in step and "EVI00000013" in step for step in body["manual_steps"])
    # A second one differs (shown once, never again)
    assert world.admin.post(E13 + "/credentials", {}).body["password"] != password
    assert "password" not in world.admin.get(E13).body
