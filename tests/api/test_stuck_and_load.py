"""Stuck sessions and load management over REST: what each operator sees, the admins' acts, the texts."""

from __future__ import annotations

from tests.api.conftest import world  # noqa: F401 (fixture)

V1 = "/api/v1"


def _active_session(station_id: str = "EVI00000013") -> int:
    from chalicelib.clock import now
    from chalicelib.domain import charging

    tx, _ = charging.start("ACME", station_id, 1, "12345678", 1_000_000, now(), now())
    return tx


def test_an_admin_soft_stops_a_session_and_every_operator_of_the_domain_sees_the_steps(world):  # noqa: F811
    tx = _active_session()
    path = f"{V1}/stations/EVI00000013/sessions/{tx}/soft-stop"
    denied = world.basic.post(path)
    assert (denied.status, denied.body["message"]) == (403, "Access denied.")
    assert world.sibling.post(path).body["message"] == "Charging station does not exist."
    stopped = world.admin.post(path)
    assert stopped.status == 200, stopped
    assert (stopped.body["state"], [s["kind"] for s in stopped.body["steps"]]) == ("SoftStopped", ["soft_stopped"])
    assert stopped.body["steps"][0]["operator_id"] == "t-admin"
    again = world.admin.post(path)
    assert (again.status, again.body["message"]) == (409, "The charging session is not active.")
    missing = world.admin.post(f"{V1}/stations/EVI00000014/sessions/{tx}/soft-stop")  # another station's session
    assert (missing.status, missing.body["message"]) == (404, "The charging session does not exist.")
    listed = world.basic.get(f"{V1}/stations/EVI00000013/stuck-sessions").body["items"]
    assert [(i["transaction_id"], i["state"]) for i in listed] == [(tx, "SoftStopped")]
    assert [i["transaction_id"] for i in world.basic.get(f"{V1}/stuck-sessions").body["items"]] == [tx]
    assert world.sibling.get(f"{V1}/stuck-sessions").body["items"] == []  # Pine Mall is outside Birch Mall
    assert world.other_org.get(f"{V1}/stuck-sessions").body["items"] == []


def test_admins_set_group_limits_and_exclusions_and_basic_operators_read_them(world):  # noqa: F811
    pine = world.groups["ACME Pine Mall"].group_id
    root = world.groups["ACME Shopping Malls"].group_id
    limit = f"{V1}/groups/{pine}/load-limit"
    assert world.admin.get(limit).body["message"] == "The charging group has no power limit."
    assert world.basic.put(limit, {"limit_a": 32}).body["message"] == "Access denied."
    bad = world.admin.put(limit, {"limit_a": 10, "min_a": 16})
    assert (bad.status, bad.body["message"]) == (400, "The minimum current cannot be above the limit.")
    assert world.admin.put(limit, {"limit_a": 0}).status == 400
    assert world.admin.put(limit, {"limit_a": 32, "phases": 2}).status == 400
    assert world.admin.put(limit, {"limit_a": 32}).body == {"group_id": pine, "limit_a": 32.0, "phases": 3, "min_a": 6.0}
    assert world.admin.put(f"{V1}/groups/{root}/load-limit", {"limit_a": 100, "phases": 3}).status == 200
    assert world.basic.get(limit).body["limit_a"] == 32.0
    assert world.sibling.get(limit).body["message"] == "Charging group does not exist."
    station = f"{V1}/stations/EVI00000013/load-management"
    seen = world.basic.get(station).body
    assert (seen["excluded"], [g["group_id"] for g in seen["limits"]]) == (False, [root, pine])
    assert world.basic.put(station, {"excluded": True}).status == 403
    assert world.admin.put(station, {"excluded": True}).body["excluded"] is True
    assert world.admin.delete(limit).status == 204
    assert world.admin.delete(limit).body["message"] == "The charging group has no power limit."
    assert [g["group_id"] for g in world.basic.get(station).body["limits"]] == [root]
