"""A charging station's event feed: one local day at a time, filters, search, paging and denials."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.stats_support import connected, status

URL = "/api/v1/stations/EVI00000013/events"


@pytest.fixture
def feed(world):
    """The manual's example feed of 17/08/2018 (Helsinki, UTC+3 in summer), plus one event the day before."""
    charger = connected("EVI00000013")
    events = [
        (1, "Preparing", "NoError", "Status Update -Type2-", "2018-08-17T04:09:00Z"),
        (1, "Charging", "NoError", "Energy is flowing to vehicle", "2018-08-17T04:10:00Z"),
        (1, "SuspendedEV", "NoError", "No energy flowing to vehicle", "2018-08-17T04:55:00Z"),
        (0, "Available", "OtherError", "FW update: car connected", "2018-08-17T06:49:00Z"),
        (0, "Available", "OtherError", "Denied FW update, vehicle is connected", "2018-08-17T06:49:30Z"),
        (1, "Finishing", "NoError", "Status Update -Type2-", "2018-08-17T07:55:00Z"),
        (1, "Available", "NoError", "Status Update", "2018-08-17T07:55:30Z"),
        (1, "Available", "NoError", "late on the 16th", "2018-08-16T20:59:00Z"),  # 23:59 local
    ]
    for connector, value, error, info, at in events:
        status(charger, connector, value, error=error, info=info, at=datetime.fromisoformat(at.replace("Z", "+00:00")))
    return charger


def test_a_day_of_events_newest_first(world, feed):
    reply = world.admin.get(f"{URL}?day=2018-08-17")
    assert reply.status == 200
    body = reply.body
    assert (body["day"], body["previous_day"], body["next_day"], body["timezone"]) == ("2018-08-17", "2018-08-16", "2018-08-18", "Europe/Helsinki")
    assert [e["info"] for e in body["items"]][:2] == ["Status Update", "Status Update -Type2-"]
    assert len(body["items"]) == 7 and body["cursor"] is None
    first = body["items"][0]
    assert first == {"info": "Status Update", "connector_id": 1, "status": "Available", "error_type": "NoError",
                     "vendor_error_code": None, "timestamp": "2018-08-17T07:55:30Z", "kind": "StatusNotification"}


def test_day_boundaries_are_the_organizations(world, feed):
    # 20:59 UTC on the 16th is 23:59 in Helsinki: the 16th, not the 17th
    body = world.admin.get(f"{URL}?day=2018-08-16").body
    assert [e["info"] for e in body["items"]] == ["late on the 16th"]


def test_today_is_the_default_and_has_no_next_day(world, feed):
    body = world.admin.get(URL).body
    assert body["next_day"] is None and body["items"] == []
    assert body["day"] == datetime.now(UTC).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Helsinki")).date().isoformat()


def test_filters_and_search(world, feed):
    def infos(query):
        reply = world.admin.get(f"{URL}?day=2018-08-17&{query}")
        assert reply.status == 200, reply.body
        return [e["info"] for e in reply.body["items"]]

    assert infos("error_type=OtherError") == ["Denied FW update, vehicle is connected", "FW update: car connected"]
    assert infos("status=Charging") == ["Energy is flowing to vehicle"]
    assert infos("status=Available&error_type=NoError") == ["Status Update"]
    assert infos("q=fw%20UPDATE") == ["Denied FW update, vehicle is connected", "FW update: car connected"]
    assert len(infos("q=charging%20point%20%230")) == 2
    assert infos("q=07:10") == ["Energy is flowing to vehicle"]  # local time 07:10 (04:10 UTC)
    assert infos("status=&error_type=&q=") == infos("")


def test_paging_within_a_day(world, feed):
    first = world.admin.get(f"{URL}?day=2018-08-17&limit=3").body
    assert len(first["items"]) == 3 and first["cursor"]
    second = world.admin.get(f"{URL}?day=2018-08-17&limit=3&cursor={first['cursor']}").body
    rest = world.admin.get(f"{URL}?day=2018-08-17&limit=3&cursor={second['cursor']}").body
    seen = [e["timestamp"] for page in (first, second, rest) for e in page["items"]]
    assert len(seen) == 7 and seen == sorted(seen, reverse=True)
    searched = world.admin.get(f"{URL}?day=2018-08-17&limit=1&q=status%20update").body
    again = world.admin.get(f"{URL}?day=2018-08-17&limit=1&q=status%20update&cursor={searched['cursor']}").body
    assert [e["info"] for e in searched["items"] + again["items"]] == ["Status Update", "Status Update -Type2-"]


def test_denials_and_bad_input(world, feed):
    for client in (world.sibling, world.other_org):
        reply = client.get(f"{URL}?day=2018-08-17")
        assert (reply.status, reply.message) == (404, "Charging station does not exist.")
    assert world.anonymous.get(URL).status == 401
    assert world.admin.get("/api/v1/stations/NOPE/events").status == 404
    for query in ("status=Bogus", "error_type=Oops", "day=2018-13-01", "day=1900-01-01", "limit=0", "cursor=%%%"):
        assert world.admin.get(f"{URL}?{query}").status == 400, query
