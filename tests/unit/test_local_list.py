"""SendLocalList built from the charging users with access to a station (in-memory store)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import remote_commands
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.users import ChargingUser, Membership, RfidToken, UserGroup

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def user(user_id: str, **fields) -> ChargingUser:
    return ChargingUser("ACME", user_id, "A", "B", user_id, **fields)


def token(token_id: str, user_id: str, **fields) -> RfidToken:
    return RfidToken("ACME", token_id, user_id, **fields)


@pytest.fixture
def store():
    with using(memory_store()) as installed:
        users = installed.users
        users.add_station("ACME", "CP1", "/g1/g2/")
        users.create_user_group(UserGroup("ACME", "off", "Off", active=False), Membership())
        people = [
            (user("by-group@x", access_group_ids=["g1"]), [
                token("VALID", "by-group@x", valid_to=NOW + timedelta(days=30)),
                token("BLOCKED", "by-group@x", status="Blocked"),
                token("EXPIRED", "by-group@x", valid_to=NOW - timedelta(days=1)),
                token("LATER", "by-group@x", valid_from=NOW + timedelta(days=1)),
            ]),
            (user("by-station@x", access_station_ids=["CP1"]), [token("STATION", "by-station@x")]),
            (user("inactive@x", active=False, access_station_ids=["CP1"]), [token("INACTIVE", "inactive@x")]),
            (user("group-off@x", user_group_id="off", access_station_ids=["CP1"]), [token("GROUPOFF", "group-off@x")]),
            (user("elsewhere@x", access_group_ids=["g9"]), [token("ELSEWHERE", "elsewhere@x")]),
        ]
        for person, tokens in people:
            users.create_user(person, tokens, None)
        yield installed


def test_the_list_holds_every_token_of_the_users_with_access_and_what_authorize_would_say(store):
    made = remote_commands.local_list("ACME", "CP1", NOW)
    assert (made["updateType"], made["listVersion"]) == ("Full", int(NOW.timestamp()))
    listed = {e["idTag"]: e["idTagInfo"] for e in made["localAuthorizationList"]}
    assert listed == {
        "VALID": {"status": "Accepted", "expiryDate": "2026-03-31T12:00:00.000Z"},
        "BLOCKED": {"status": "Blocked"},
        "EXPIRED": {"status": "Expired"},
        "LATER": {"status": "Invalid"},
        "STATION": {"status": "Accepted"},
        "INACTIVE": {"status": "Blocked"},
        "GROUPOFF": {"status": "Blocked"},
    }
    assert remote_commands.local_list("ACME", "CP2", NOW)["localAuthorizationList"] == []
