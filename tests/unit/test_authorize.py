"""Authorize: token status, validity window, user and user-group activation, access rights."""

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import provisioning as p
from chalicelib.storage.models import ChargingUserItem, TokenItem, UserGroupItem
from tests.support import LambdaCharger
from tests.unit.ocpp_helpers import result_of


def status_at(station_id, id_tag):
    charger = LambdaCharger(station_id)
    assert charger.connect()["statusCode"] == 200
    return result_of("Authorize", charger.call("Authorize", {"idTag": id_tag}))["idTagInfo"]


def test_scrooge_is_accepted_on_every_demo_station(demo):
    for station in ("EVI00000013", "EVI00000016", "EVI00000018"):
        assert status_at(station, "12345678")["status"] == "Accepted"


def test_unknown_token_is_invalid(demo):
    assert status_at("EVI00000013", "NOPE0000") == {"status": "Invalid"}


@pytest.fixture
def token(demo):
    return TokenItem.get("ACME", "12345678")


def test_blocked_token(token):
    token.update(actions=[TokenItem.status.set("Blocked")])
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_expired_token_reports_its_expiry(token):
    token.update(actions=[TokenItem.valid_to.set(datetime.now(UTC) - timedelta(days=1))])
    info = status_at("EVI00000013", "12345678")
    assert info["status"] == "Expired" and info["expiryDate"].endswith("Z")


def test_token_not_yet_valid(token):
    token.update(actions=[TokenItem.valid_from.set(datetime.now(UTC) + timedelta(days=1))])
    assert status_at("EVI00000013", "12345678")["status"] == "Invalid"


def test_valid_token_carries_its_end_date(token):
    token.update(actions=[TokenItem.valid_to.set(datetime.now(UTC) + timedelta(days=30))])
    info = status_at("EVI00000013", "12345678")
    assert info["status"] == "Accepted" and "expiryDate" in info


def test_inactive_user_is_blocked(demo):
    ChargingUserItem.get("ACME", "scrooge@duckburg.com").update(actions=[ChargingUserItem.active.set(False)])
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_inactive_user_group_is_blocked(demo):
    user = ChargingUserItem.get("ACME", "scrooge@duckburg.com")
    UserGroupItem.get("ACME", user.user_group_id).update(actions=[UserGroupItem.active.set(False)])
    assert status_at("EVI00000013", "12345678")["status"] == "Blocked"


def test_access_rights_limit_the_stations(demo):
    pine = p.ensure_group_path("ACME", ["ACME Shopping Malls", "ACME Pine Mall"])
    p.ensure_charging_user("ACME", "Donald", "Duck", "dduck@duckburg.com", None, [], [{"id": "DD000001"}])
    user = ChargingUserItem.get("ACME", "dduck@duckburg.com")
    user.update(actions=[ChargingUserItem.access_group_ids.set([pine.group_id]),
                         ChargingUserItem.access_station_ids.set(["EVI00000017"])])
    assert status_at("EVI00000013", "DD000001")["status"] == "Accepted"  # in Pine Mall
    assert status_at("EVI00000017", "DD000001")["status"] == "Accepted"  # named station
    assert status_at("EVI00000015", "DD000001")["status"] == "Invalid"  # Birch Mall: no right


def test_tokens_of_another_organization_are_unknown(demo):
    p.ensure_organization("OTHER", "Other")
    p.create_station("OTHER", "OT000001")
    assert status_at("OT000001", "12345678")["status"] == "Invalid"
