"""Authorize: token status, validity window, user and user-group activation, access rights
(app.py's handlers and the REST API on the in-memory demo)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import provisioning as p
from chalicelib.ports.registry import store
from chalicelib.ports.users import Membership, TokenEdit, UserEdit
from tests.unit.ocpp_helpers import result_of

_world = None


@pytest.fixture(autouse=True)
def _charging(world):
    global _world
    _world = world
    yield
    _world = None


def status_at(station_id, id_tag):
    charger = _world.connect(station_id)
    return result_of("Authorize", charger.call("Authorize", {"idTag": id_tag}))["idTagInfo"]


def test_scrooge_is_accepted_on_every_demo_station():
    for station in ("EVI00000013", "EVI00000016", "EVI00000018"):
        assert status_at(station, "12345678")["status"] == "Accepted"


def test_unknown_token_is_invalid():
    assert status_at("EVI00000013", "NOPE0000") == {"status": "Invalid"}


def change_token(**changes):
    users = store().users
    token = users.token("ACME", "12345678")
    users.update_token(token, replace(TokenEdit(token.name, token.status, token.valid_from, token.valid_to), **changes))


def change_user(user_id="scrooge@duckburg.com", **changes):
    users = store().users
    user = users.user("ACME", user_id)
    fields = UserEdit(user.first_name, user.last_name, user.active, user.access_group_ids, user.access_station_ids, user.user_group_id)
    users.update_user(user, replace(fields, **changes), [])


def test_blocked_token():
    change_token(status="Blocked")
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_expired_token_reports_its_expiry():
    change_token(valid_to=datetime.now(UTC) - timedelta(days=1))
    info = status_at("EVI00000013", "12345678")
    assert info["status"] == "Expired" and info["expiryDate"].endswith("Z")


def test_token_not_yet_valid():
    change_token(valid_from=datetime.now(UTC) + timedelta(days=1))
    assert status_at("EVI00000013", "12345678")["status"] == "Invalid"


def test_valid_token_carries_its_end_date():
    change_token(valid_to=datetime.now(UTC) + timedelta(days=30))
    info = status_at("EVI00000013", "12345678")
    assert info["status"] == "Accepted" and "expiryDate" in info


def test_inactive_user_is_blocked():
    change_user(active=False)
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_inactive_user_group_is_blocked():
    users = store().users
    group = users.user_group("ACME", users.user("ACME", "scrooge@duckburg.com").user_group_id)
    users.update_user_group(group, group.name, False, Membership())
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_access_rights_limit_the_stations():
    pine = p.ensure_group_path("ACME", ["ACME Shopping Malls", "ACME Pine Mall"])
    p.ensure_charging_user("ACME", "Donald", "Duck", "dduck@duckburg.com", None, [], [{"id": "DD000001"}])
    change_user("dduck@duckburg.com", access_group_ids=[pine.group_id], access_station_ids=["EVI00000017"])
    assert status_at("EVI00000013", "DD000001")["status"] == "Accepted"  # in Pine Mall
    assert status_at("EVI00000017", "DD000001")["status"] == "Accepted"  # named station
    assert status_at("EVI00000015", "DD000001")["status"] == "Invalid"  # Birch Mall: no right


def test_tokens_of_another_organization_are_unknown():
    p.ensure_organization("OTHER", "Other")
    p.create_station("OTHER", "OT000001")
    assert status_at("OT000001", "12345678")["status"] == "Invalid"


# --- tokens, users and user groups managed through the REST API, seen by real OCPP frames --------
PASSWORD = "Correct-Horse-42"
DAISY = "/api/v1/charging-users/daisy@duckburg.com"


@pytest.fixture
def api(world):
    import app
    from tests.api.client import ApiClient

    root = p.ensure_group_path("ACME", ["ACME Shopping Malls"])
    p.create_operator("ACME", "t-admin", PASSWORD, "t-admin@acme.test", "Ada", "Admin", "admin", root.group_id)
    return ApiClient(app.app).login("t-admin", PASSWORD)


@pytest.fixture
def daisy(api):
    """Daisy, added through the API: rights to Pine Mall and to station EVI00000017, token DA000001."""
    pine = p.ensure_group_path("ACME", ["ACME Shopping Malls", "ACME Pine Mall"])
    body = {
        "first_name": "Daisy", "last_name": "Duck", "email": "daisy@duckburg.com",
        "access_group_ids": [pine.group_id], "access_station_ids": ["EVI00000017"],
        "tokens": [{"token_id": "DA000001", "valid_from": "2020-01-01T00:00:00Z"}],
    }
    assert api.post("/api/v1/charging-users", body).status == 201
    return api


def start_status(station_id, id_tag):
    charger = _world.connect(station_id)
    payload = {"connectorId": 1, "idTag": id_tag, "meterStart": 0, "timestamp": datetime.now(UTC).isoformat()}
    return result_of("StartTransaction", charger.call("StartTransaction", payload))["idTagInfo"]["status"]


def edit_token(api, **changes):
    token = api.get(DAISY).body["tokens"][0]
    body = {"status": token["status"], "valid_to": token["valid_to"], "version": token["version"], **changes}
    reply = api.put(f"{DAISY}/tokens/DA000001", body)
    assert reply.status == 200, reply


def edit_user(api, **changes):
    user = api.get(DAISY).body
    keys = ("first_name", "last_name", "user_group_id", "access_group_ids", "access_station_ids", "version")
    reply = api.put(DAISY, {**{k: user[k] for k in keys}, **changes})
    assert reply.status == 200, reply


def test_an_api_token_is_accepted_only_where_its_user_has_rights(daisy):
    # Given Daisy's rights: Pine Mall (EVI00000013/14) and station EVI00000017
    # Then Authorize and StartTransaction accept her token there (in any case), and nowhere else
    for station in ("EVI00000013", "EVI00000014", "EVI00000017"):
        assert status_at(station, "DA000001")["status"] == "Accepted", station
    assert status_at("EVI00000013", "da000001")["status"] == "Accepted"
    assert start_status("EVI00000013", "DA000001") == "Accepted"
    for station in ("EVI00000015", "EVI00000018"):
        assert status_at(station, "DA000001")["status"] == "Invalid", station
    assert start_status("EVI00000015", "DA000001") == "Invalid"


def test_rights_edited_through_the_api_apply_at_once(daisy):
    edit_user(daisy, access_group_ids=[], access_station_ids=["EVI00000015"])
    assert status_at("EVI00000015", "DA000001")["status"] == "Accepted"
    assert status_at("EVI00000013", "DA000001")["status"] == "Invalid"


def test_a_token_blocked_through_the_api(daisy):
    edit_token(daisy, status="Blocked")
    assert status_at("EVI00000013", "DA000001")["status"] == "Blocked"
    assert start_status("EVI00000013", "DA000001") == "Blocked"


def test_a_user_deactivated_through_the_api(daisy):
    edit_user(daisy, active=False)
    assert status_at("EVI00000013", "DA000001")["status"] == "Blocked"
    edit_user(daisy, active=True)
    assert status_at("EVI00000013", "DA000001")["status"] == "Accepted"


def test_a_user_group_deactivated_through_the_api(daisy):
    group = daisy.post("/api/v1/user-groups", {"name": "Guests", "member_ids": ["daisy@duckburg.com"]}).body
    assert status_at("EVI00000013", "DA000001")["status"] == "Accepted"
    body = {"name": "Guests", "member_ids": ["daisy@duckburg.com"], "active": False, "version": group["version"]}
    assert daisy.put(f"/api/v1/user-groups/{group['user_group_id']}", body).status == 200
    assert status_at("EVI00000013", "DA000001")["status"] == "Blocked"
    assert start_status("EVI00000013", "DA000001") == "Blocked"


def test_validity_set_through_the_api(daisy):
    # Expired once valid_to has passed, with the end date
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    edit_token(daisy, valid_to=past)
    info = status_at("EVI00000013", "DA000001")
    assert info["status"] == "Expired" and info["expiryDate"].endswith("Z")
    # Accepted with the end date while valid
    edit_token(daisy, valid_to=(datetime.now(UTC) + timedelta(days=30)).isoformat())
    info = status_at("EVI00000013", "DA000001")
    assert info["status"] == "Accepted" and "expiryDate" in info
    # Invalid before valid_from
    edit_token(daisy, valid_from=(datetime.now(UTC) + timedelta(days=1)).isoformat(), valid_to=None)
    assert status_at("EVI00000013", "DA000001")["status"] == "Invalid"


def test_a_deleted_token_or_user_is_invalid(daisy):
    assert daisy.delete(f"{DAISY}/tokens/DA000001").status == 204
    assert status_at("EVI00000013", "DA000001") == {"status": "Invalid"}
    assert daisy.post(f"{DAISY}/tokens", {"token_id": "DA000002", "valid_from": "2020-01-01T00:00:00Z"}).status == 201
    assert status_at("EVI00000013", "DA000002")["status"] == "Accepted"
    assert daisy.delete(DAISY).status == 204
    assert status_at("EVI00000013", "DA000002") == {"status": "Invalid"}
