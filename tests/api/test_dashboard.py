"""The dashboard: the selection (remembered per operator), the domain's donut, last 24 hours, days."""

from __future__ import annotations

import pytest

from chalicelib.storage.models import OperatorItem
from tests.api.stats_support import connected, local_date, session, status

URL = "/api/v1/dashboard"


@pytest.fixture
def now(world, monkeypatch):
    from tests.api.stats_support import pin_clock

    return pin_clock(monkeypatch)


def test_default_selection_is_the_base_group_and_counts_its_stations(world, now):
    # Given the demo: six single-point stations in three malls, none connected
    reply = world.admin.get(URL)
    # Then the selection is the base group and every point is Offline
    assert reply.status == 200
    root = world.groups["ACME Shopping Malls"].group_id
    assert reply.body["selection"] == [root]
    assert {k: reply.body["selected"][k] for k in ("stations", "points", "charging", "issues")} == {
        "stations": 6, "points": 6, "charging": 0, "issues": 0,
    }
    assert reply.body["domain"]["donut"]["Offline"] == 6
    assert reply.body["timezone"] == "Europe/Helsinki"
    assert len(reply.body["days"]) == 7 and reply.body["days"][-1]["date"] == local_date(now)


def test_status_changes_show_at_once(world, now):
    # Given a station that connects and starts charging, another that is faulted
    status(connected("EVI00000013"), 1, "Charging")
    status(connected("EVI00000015"), 1, "Faulted", error="GroundFailure")
    # When the admin opens the dashboard
    body = world.admin.get(URL).body
    # Then
    selected = body["selected"]
    assert (selected["stations"], selected["points"], selected["charging"], selected["issues"]) == (6, 6, 1, 1)
    assert selected["statuses"]["Charging"] == 1 and selected["statuses"]["Faulted"] == 1
    assert body["domain"]["donut"] == {"Charging": 1, "Available": 0, "Unavailable": 0, "Issue detected": 1, "Suspended": 0, "Offline": 4}


def test_sessions_fill_the_last_24_hours_and_the_days(world, now):
    # Given two sessions in Pine (two points of one station) and one in Birch
    pine = connected("EVI00000013")
    session(pine, now, hours_ago=2, wh=7510)
    session(pine, now, hours_ago=1, wh=2490, connector=2)
    session(connected("EVI00000015"), now, hours_ago=3, wh=1000)
    # When the admin (whole organization) and the Birch admin look
    admin = world.admin.get(URL).body
    birch = world.sibling.get(URL).body
    # Then each sees the numbers of their own domain
    assert admin["last_24_hours"] == {"charging_events": 3, "used_points": 3, "energy_kwh": 11.0}
    assert birch["last_24_hours"] == {"charging_events": 1, "used_points": 1, "energy_kwh": 1.0}
    assert sum(d["sessions"] for d in admin["days"]) == 3
    assert sum(d["energy_kwh"] for d in admin["days"]) == 11.0
    assert birch["selected"]["stations"] == 2


def test_the_selection_is_remembered_per_operator(world, now):
    pine = world.groups["ACME Pine Mall"].group_id
    maple = world.groups["ACME Maple Mall"].group_id
    version = OperatorItem.get("t-admin").version
    # When the admin selects two malls
    reply = world.admin.put(f"{URL}/selection", {"group_ids": [pine, maple]})
    assert reply.status == 200 and reply.body == {"group_ids": [pine, maple]}
    # Then the dashboard shows them, the domain stays whole, and other operators keep theirs
    body = world.admin.get(URL).body
    assert body["selection"] == [pine, maple]
    assert body["selected"]["stations"] == 4 and body["domain"]["stations"] == 6
    assert [g["name"] for g in body["groups"]] == ["ACME Pine Mall", "ACME Maple Mall"]
    assert world.basic.get(URL).body["selection"] == [world.groups["ACME Shopping Malls"].group_id]
    # A preference is not an edit of the account: its version does not move
    assert OperatorItem.get("t-admin").version == version
    # An empty selection is the base group again
    assert world.admin.put(f"{URL}/selection", {"group_ids": []}).body == {"group_ids": [world.groups["ACME Shopping Malls"].group_id]}


def test_overlapping_groups_count_once(world, now):
    root = world.groups["ACME Shopping Malls"].group_id
    pine = world.groups["ACME Pine Mall"].group_id
    world.admin.put(f"{URL}/selection", {"group_ids": [root, pine]})
    assert world.admin.get(URL).body["selected"]["stations"] == 6


def test_groups_outside_the_domain_cannot_be_selected(world, now):
    pine = world.groups["ACME Pine Mall"].group_id
    for client, group_id in ((world.sibling, pine), (world.other_org, pine), (world.admin, "nosuchgroup")):
        reply = client.put(f"{URL}/selection", {"group_ids": [group_id]})
        assert (reply.status, reply.message) == (404, "Charging group does not exist.")


def test_anonymous_and_bad_input(world, now):
    assert world.anonymous.get(URL).status == 401
    assert world.anonymous.put(f"{URL}/selection", {"group_ids": []}).status == 401
    assert world.admin.get(f"{URL}?days=0").status == 400
    assert world.admin.get(f"{URL}?days=abc").status == 400
    assert world.admin.put(f"{URL}/selection", {"group_ids": "x"}).status == 400
    assert world.admin.get(f"{URL}?days=30").body["days"][0]["sessions"] == 0


def test_recount_is_for_admins_of_the_whole_organization(world, now):
    reply = world.admin.post(f"{URL}/recount")
    assert reply.status == 200 and reply.body["stations"] == 6 and reply.body["corrected_groups"] == 0
    assert (world.basic.post(f"{URL}/recount").status, world.sibling.post(f"{URL}/recount").message) == (403, "Access denied.")


def test_points_of_a_groups_stations_in_one_request(world, now):
    # Given the demo, with EVI00000013 (Pine) charging and EVI00000015 (Birch) faulted
    status(connected("EVI00000013"), 1, "Charging")
    status(connected("EVI00000015"), 1, "Faulted", error="GroundFailure")
    # When the admin's dashboard polls the whole domain, and the Pine mall alone
    everything = world.admin.get(URL + "/points").body
    pine = world.admin.get(URL + "/points?group_id=" + world.groups["ACME Pine Mall"].group_id).body
    # Then each station comes with its group and its points' displayed status
    shown = {s["station_id"]: (s["group_id"], [p["status"] for p in s["points"]]) for s in everything["items"]}
    assert len(shown) == 6 and everything["cursor"] is None
    assert shown["EVI00000013"] == (world.groups["ACME Pine Mall"].group_id, ["Charging"])
    assert shown["EVI00000015"][1] == ["Issue detected"] and shown["EVI00000017"][1] == ["Offline"]
    assert [s["station_id"] for s in pine["items"]] == ["EVI00000013", "EVI00000014"]


def test_points_of_a_group_outside_the_domain_are_not_found(world, now):
    reply = world.sibling.get(URL + "/points?group_id=" + world.groups["ACME Pine Mall"].group_id)
    assert reply.status == 404 and reply.message == "Charging group does not exist."
