"""$connect identity and authentication, last connect wins, $disconnect clears only its own."""

import base64

from chalicelib.domain import provisioning as p
from chalicelib.storage.models import ConnectionItem, StationItem
from tests.support import LambdaCharger


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_known_station_connects_with_ocpp16(demo):
    answer = LambdaCharger("EVI00000013").connect()
    assert answer == {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "ocpp1.6"}}
    station = StationItem.get("ACME", "EVI00000013")
    assert station.connected and station.connection_id


def test_unsupported_subprotocol_is_refused(demo):
    answer = LambdaCharger("EVI00000013", headers={"Sec-WebSocket-Protocol": "ocpp2.0.1"}).connect()
    assert answer["statusCode"] == 400


def test_several_offered_subprotocols(demo):
    answer = LambdaCharger("EVI00000013", headers={"Sec-WebSocket-Protocol": "ocpp2.0.1, ocpp1.6"}).connect()
    assert answer["headers"]["Sec-WebSocket-Protocol"] == "ocpp1.6"


def test_unknown_station_is_refused(demo):
    assert LambdaCharger("NOBODY01").connect()["statusCode"] == 404
    assert LambdaCharger("bad/id").connect()["statusCode"] == 400


def test_identifiers_are_unique_per_organization_only(demo):
    p.ensure_organization("OTHER", "Other")
    p.create_station("OTHER", "EVI00000013")
    # The short form stays with ACME, which created the identifier first (ADR 0011)
    short = LambdaCharger("EVI00000013")
    assert short.connect()["statusCode"] == 200
    assert StationItem.get("ACME", "EVI00000013").connection_id == short.connection_id
    assert LambdaCharger("EVI00000013", org="ACME").connect()["statusCode"] == 200
    assert LambdaCharger("EVI00000013", org="OTHER").connect()["statusCode"] == 200
    assert LambdaCharger("EVI00000014").connect()["statusCode"] == 200  # still unique


def test_auto_registration_creates_a_pending_orphan(demo):
    p.ensure_organization("OPEN", "Open", auto_register=True)
    charger = LambdaCharger("NEW00001", org="OPEN")
    assert charger.connect()["statusCode"] == 200
    station = StationItem.get("OPEN", "NEW00001")
    assert station.registration == "Pending" and station.group_id is None
    boot = charger.frame("boot_notification")
    assert boot[2]["status"] == "Pending"
    # And the orphan counts in the organization's live counters (orphans: sk "-")
    from chalicelib.storage.aggregates import group_counters

    orphans = {c.sk: c for c in group_counters("OPEN")}["-"]
    assert orphans.stations == 1
    assert LambdaCharger("NEW00002", org="ACME").connect()["statusCode"] == 404


def test_basic_auth_right_and_wrong(demo):
    p.create_station("ACME", "SECURE01", password="s3cret-Pass")
    assert StationItem.get("ACME", "SECURE01").password_hash.startswith("$argon2")
    assert LambdaCharger("SECURE01").connect()["statusCode"] == 401
    assert LambdaCharger("SECURE01", headers={"Authorization": basic("SECURE01", "wrong")}).connect()["statusCode"] == 401
    assert LambdaCharger("SECURE01", headers={"Authorization": basic("OTHER", "s3cret-Pass")}).connect()["statusCode"] == 401
    assert LambdaCharger("SECURE01", headers={"Authorization": basic("SECURE01", "s3cret-Pass")}).connect()["statusCode"] == 200
    # CloudFront copies Authorization into a custom header
    ok = LambdaCharger("SECURE01", headers={"X-Charger-Authorization": basic("SECURE01", "s3cret-Pass")})
    assert ok.connect()["statusCode"] == 200


def test_last_connect_wins_and_disconnect_clears_only_its_own(demo):
    old, new = LambdaCharger("EVI00000013"), LambdaCharger("EVI00000013")
    old.connect()
    new.connect()
    assert StationItem.get("ACME", "EVI00000013").connection_id == new.connection_id
    old.disconnect()
    station = StationItem.get("ACME", "EVI00000013")
    assert station.connected and station.connection_id == new.connection_id
    new.disconnect()
    station = StationItem.get("ACME", "EVI00000013")
    assert not station.connected and station.last_seen_at is not None
    assert ConnectionItem.count() == 0


def test_frames_on_a_forgotten_connection_are_dropped(demo):
    charger = LambdaCharger("EVI00000013")
    charger.connect()
    charger.disconnect()
    assert charger.frame("heartbeat") is None
