"""$connect identity and authentication, last connect wins, $disconnect clears only its own
(app.py's handlers on the in-memory store)."""

import base64

from chalicelib.domain import provisioning as p
from chalicelib.ports.aggregates import ORPHANS


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_known_station_connects_with_ocpp16(world):
    charger = world.charger()
    assert charger.connect() == {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "ocpp1.6"}}
    assert world.store.stations.get("ACME", "EVI00000013").connected
    assert world.store.connections.current("ACME", "EVI00000013") == charger.connection_id


def test_unsupported_subprotocol_is_refused(world):
    answer = world.charger(headers={"Sec-WebSocket-Protocol": "ocpp2.0.1"}).connect()
    assert answer["statusCode"] == 400


def test_several_offered_subprotocols(world):
    answer = world.charger(headers={"Sec-WebSocket-Protocol": "ocpp2.0.1, ocpp1.6"}).connect()
    assert answer["headers"]["Sec-WebSocket-Protocol"] == "ocpp1.6"


def test_unknown_station_is_refused(world):
    assert world.charger("NOBODY01").connect()["statusCode"] == 404
    assert world.charger("bad/id").connect()["statusCode"] == 400


def test_identifiers_are_unique_per_organization_only(world):
    p.ensure_organization("OTHER", "Other")
    p.create_station("OTHER", "EVI00000013")
    # The short form stays with ACME, which created the identifier first (ADR 0011)
    short = world.connect()
    assert world.store.connections.current("ACME", "EVI00000013") == short.connection_id
    assert world.charger(org="ACME").connect()["statusCode"] == 200
    assert world.charger(org="OTHER").connect()["statusCode"] == 200
    assert world.charger("EVI00000014").connect()["statusCode"] == 200  # still unique


def test_auto_registration_creates_a_pending_orphan(world):
    p.ensure_organization("OPEN", "Open", auto_register=True)
    charger = world.connect("NEW00001", org="OPEN")
    station = world.store.stations.get("OPEN", "NEW00001")
    assert station.registration == "Pending" and station.group_id is None
    boot = charger.frame("boot_notification")
    assert boot[2]["status"] == "Pending"
    # And the orphan counts in the organization's live counters
    orphans = {c.group_key: c.counts for c in world.store.aggregates.group_counters("OPEN")}[ORPHANS]
    assert orphans["stations"] == 1
    assert world.charger("NEW00002", org="ACME").connect()["statusCode"] == 404


def test_basic_auth_right_and_wrong(world):
    p.create_station("ACME", "SECURE01", password="s3cret-Pass")
    assert world.store.stations.get("ACME", "SECURE01").password_hash.startswith("$argon2")
    assert world.charger("SECURE01").connect()["statusCode"] == 401
    assert world.charger("SECURE01", headers={"Authorization": basic("SECURE01", "wrong")}).connect()["statusCode"] == 401
    assert world.charger("SECURE01", headers={"Authorization": basic("OTHER", "s3cret-Pass")}).connect()["statusCode"] == 401
    assert world.charger("SECURE01", headers={"Authorization": basic("SECURE01", "s3cret-Pass")}).connect()["statusCode"] == 200
    # CloudFront copies Authorization into a custom header
    ok = world.charger("SECURE01", headers={"X-Charger-Authorization": basic("SECURE01", "s3cret-Pass")})
    assert ok.connect()["statusCode"] == 200


def test_last_connect_wins_and_disconnect_clears_only_its_own(world):
    old, new = world.connect(), world.connect()
    assert world.store.chargers.closed == [old.connection_id]  # the replaced socket is closed
    assert world.store.connections.current("ACME", "EVI00000013") == new.connection_id
    old.disconnect()
    assert world.store.stations.get("ACME", "EVI00000013").connected
    assert world.store.connections.current("ACME", "EVI00000013") == new.connection_id
    new.disconnect()
    assert not world.store.stations.get("ACME", "EVI00000013").connected
    assert world.store.estate.get_station("ACME", "EVI00000013").last_seen_at is not None
    assert world.store.connections.get(old.connection_id) is None and world.store.connections.get(new.connection_id) is None


def test_frames_on_a_forgotten_connection_are_dropped(world):
    charger = world.connect()
    charger.disconnect()
    assert charger.frame("heartbeat") is None
