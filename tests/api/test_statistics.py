"""Charging group statistics (like the dashboard, for a subtree) and charging station statistics."""

from __future__ import annotations

import pytest

from tests.api.stats_support import connected, local_date, session, status


@pytest.fixture
def now(world, monkeypatch):
    from tests.api.stats_support import pin_clock

    return pin_clock(monkeypatch)


@pytest.fixture
def sessions(world, now):
    """Two sessions on EVI00000013 (Pine), one on EVI00000015 (Birch), all in the last hours."""
    pine = connected("EVI00000013")
    status(pine, 1, "Charging")
    session(pine, now, hours_ago=2, wh=7510)
    session(pine, now, hours_ago=1, wh=2490)
    session(connected("EVI00000015"), now, hours_ago=3, wh=1000)
    return now


def test_group_statistics_of_a_mall(world, sessions):
    pine = world.groups["ACME Pine Mall"]
    # When the admin opens Pine's statistics
    reply = world.admin.get(f"/api/v1/groups/{pine.group_id}/statistics?days=7")
    # Then its subtree's live summary, 24 hours, days and its stations' days match the sessions
    assert reply.status == 200
    body = reply.body
    assert body["name"] == "ACME Pine Mall" and body["timezone"] == "Europe/Helsinki"
    summary = body["summary"]
    assert (summary["stations"], summary["points"], summary["charging"], summary["issues"]) == (2, 2, 1, 0)
    assert body["last_24_hours"] == {"charging_events": 2, "used_points": 1, "energy_kwh": 10.0}
    assert len(body["days"]) == 7 and sum(d["sessions"] for d in body["days"]) == 2
    [station] = body["stations"]
    assert station["station_id"] == "EVI00000013"
    assert sum(d["energy_kwh"] for d in station["days"]) == 10.0
    assert [d["date"] for d in station["days"]] == [d["date"] for d in body["days"]]


def test_group_statistics_of_the_root_add_up_the_subtree(world, sessions):
    root = world.groups["ACME Shopping Malls"]
    body = world.admin.get(f"/api/v1/groups/{root.group_id}/statistics").body
    assert body["summary"]["stations"] == 6
    assert body["last_24_hours"]["charging_events"] == 3 and body["last_24_hours"]["used_points"] == 2
    assert sum(d["sessions"] for d in body["days"]) == 3
    assert body["stations"] == []  # the root has no stations of its own


def test_group_statistics_outside_the_domain_are_missing(world, sessions):
    pine = world.groups["ACME Pine Mall"].group_id
    for client, group_id in ((world.sibling, pine), (world.other_org, pine), (world.admin, "nosuchgroup")):
        reply = client.get(f"/api/v1/groups/{group_id}/statistics")
        assert (reply.status, reply.message) == (404, "Charging group does not exist.")
    assert world.anonymous.get(f"/api/v1/groups/{pine}/statistics").status == 401
    assert world.admin.get(f"/api/v1/groups/{pine}/statistics?days=91").status == 400


def test_station_statistics_for_7_or_30_days(world, sessions):
    # When the basic operator opens the station's statistics
    week = world.basic.get("/api/v1/stations/EVI00000013/statistics?days=7")
    month = world.basic.get("/api/v1/stations/EVI00000013/statistics?days=30")
    # Then per local day sessions and kWh, and the last-24-hours cards
    assert week.status == 200 and len(week.body["days"]) == 7 and len(month.body["days"]) == 30
    assert week.body["last_24_hours"] == {"charging_events": 2, "used_points": 1, "energy_kwh": 10.0}
    assert sum(d["sessions"] for d in week.body["days"]) == 2
    assert week.body["days"][-1]["date"] == local_date(sessions)
    assert sum(d["sessions"] for d in month.body["days"]) == 2


def test_station_statistics_denials_and_bad_input(world, sessions):
    url = "/api/v1/stations/EVI00000013/statistics"
    for client in (world.sibling, world.other_org):
        reply = client.get(url)
        assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    assert world.admin.get("/api/v1/stations/NOPE/statistics").status == 404
    assert world.anonymous.get(url).status == 401
    assert world.admin.get(f"{url}?days=10").status == 400
    assert world.sibling.get("/api/v1/stations/EVI00000015/statistics").body["last_24_hours"]["charging_events"] == 1
