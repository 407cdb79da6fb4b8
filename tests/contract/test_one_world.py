"""Ports see each other's writes on both stores: what one port creates, another port reads, as on DynamoDB
where they share tables (the in-memory store shares its collections the same way)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.ports.estate import ChargingUserRecord, NewOperator, NewStation, Organization, UserGroupRecord
from chalicelib.ports.users import Membership, RfidToken, UserGroup

ORG = "ACME"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _estate(store):
    """/r/ with a subgroup a holding station CP1 (password hash "h")."""
    root = store.estate.provision_group(ORG, "r", "Root", None)
    alpha = store.estate.create_group(ORG, "a", "Alpha", root)
    store.estate.create_station(NewStation(ORG, "CP1", "Pump one", alpha, password_hash="h"))
    return alpha


def test_a_station_created_in_the_estate_is_the_one_a_charger_connects_as(store):
    _estate(store)
    station = store.stations.get(ORG, "CP1")
    assert (station.group_id, station.group_path, station.password_hash, station.registration) == ("a", "/r/a/", "h", "Accepted")
    assert store.stations.station_ids(ORG) == ["CP1"] and store.stations.orgs_with_station_id("CP1") == [ORG]
    assert store.users.station_paths(ORG, ["CP1", "CP9"]) == {"CP1": "/r/a/"}

    assert store.connections.take_over(ORG, "CP1", "c1", T0) is None
    assert store.connections.current(ORG, "CP1") == "c1"
    seen = store.estate.get_station(ORG, "CP1", consistent=True)
    assert (seen.name, seen.connected) == ("Pump one", True)

    store.stations.record_boot(ORG, "CP1", {"vendor": "Acme", "firmware_version": "1.2"}, T0)
    seen = store.estate.get_station(ORG, "CP1", consistent=True)
    assert (seen.vendor, seen.firmware_version, seen.last_boot_at) == ("Acme", "1.2", T0)


def test_a_station_registered_by_a_charger_is_an_orphan_of_the_estate(store):
    store.stations.create_pending(ORG, "NEW1", T0)
    orphans = store.estate.page_of_orphans(ORG, 10, None, None).items
    assert [(s.station_id, s.name) for s in orphans] == [("NEW1", "NEW1")]
    assert store.estate.get_station(ORG, "NEW1").registration == "Pending"
    assert store.estate.claimed_by("NEW1") == ORG
    store.estate.release_identifier(ORG, "NEW1")
    assert store.stations.claimed_by("NEW1") is None


def test_a_connectors_reported_status_is_what_the_estate_shows(store):
    _estate(store)
    fields = {"connector_id": 1, "status": "Charging", "error_code": "NoError", "info": None}
    store.records.put_status(ORG, "CP1", "m1", fields, T0)
    [state] = store.estate.connector_states(ORG, "CP1")
    assert (state.connector_id, state.status, state.error_code, state.timestamp) == (1, "Charging", "NoError", T0)


def test_groups_of_the_estate_are_the_ones_operators_users_and_dashboards_see(store):
    _estate(store)
    assert store.operators.group(ORG, "a").path == "/r/a/"
    assert store.operators.group(ORG, "nope") is None
    assert store.operators.group_names_under(ORG, "/r/") == {"r": "Root", "a": "Alpha"}
    assert store.users.domain_groups(ORG, "/r/a/") == {"a": "/r/a/"}
    assert [(g.group_id, g.name) for g in store.aggregates.groups_under(ORG, "/r/")] == [("r", "Root"), ("a", "Alpha")]


def test_an_organization_and_operator_provisioned_are_the_ones_that_log_in(store):
    store.estate.create_organization(Organization(ORG, "Acme", "Europe/Helsinki", auto_register=True))
    assert store.stations.organization(ORG).timezone == "Europe/Helsinki" and store.stations.organization(ORG).auto_register
    org = store.operators.organization(ORG)
    store.operators.update_organization(org, org.version, "Acme Oy", "Europe/Helsinki")
    assert store.estate.get_organization(ORG).name == "Acme Oy"

    store.estate.create_operator(NewOperator("ada", ORG, "Ada@Acme.test", "Ada", "L", "admin", "r", "hash"))
    ada = store.operators.operator("ada")
    assert (ada.org_id, ada.base_group_id, ada.password_hash, ada.activated) == (ORG, "r", "hash", True)
    assert store.operators.usernames_with_email("ada@acme.test") == ["ada"]
    assert [o.username for o in store.operators.operators_page(ORG, 10, None, "ADA@acme", None).items] == ["ada"]
    store.operators.delete_operator("ada")
    assert not store.estate.is_base_of_an_operator(ORG, "r")


def test_a_provisioned_user_and_token_are_what_authorize_reads(store):
    store.estate.create_user_group(UserGroupRecord(ORG, "ug1", "Staff"))
    user = ChargingUserRecord(ORG, "ann@x.org", "Ann", "Duck", "ann@x.org", "ug1", ["a"])
    store.estate.create_charging_user(user)
    store.estate.add_token(user, "TAG1", "Key fob", T0)

    token = store.stations.token(ORG, "TAG1")
    assert (token.user_id, token.status, token.valid_from) == ("ann@x.org", "Active", T0)
    holder = store.stations.token_holder(ORG, "ann@x.org")
    assert (holder.user_group_id, holder.access_group_ids, holder.active) == ("ug1", ("a",), True)
    assert store.stations.user_group_active(ORG, "ug1") is True
    assert store.users.user(ORG, "ann@x.org").token_count == 1
    assert store.users.user_group(ORG, "ug1").member_count == 1
    assert [t.name for t in store.users.tokens_of(ORG, "ann@x.org")] == ["Key fob"]
    assert [u.user_id for u in store.users.users_page(ORG, 10, None, "ann duck", None).items] == ["ann@x.org"]


def test_users_edited_through_the_users_port_change_what_authorize_reads(store):
    group = store.users.create_user_group(UserGroup(ORG, "ug2", "Guests"), Membership())
    store.users.update_user_group(group, "Guests", False, Membership())
    assert store.stations.user_group_active(ORG, "ug2") is False
    user = ChargingUserRecord(ORG, "bob@x.org", "Bob", "Duck", "bob@x.org")
    store.estate.create_charging_user(user)
    store.users.add_token(store.users.user(ORG, "bob@x.org"), RfidToken(ORG, "TAG2", "bob@x.org"))
    assert store.estate.token_owner(ORG, "TAG2") == "bob@x.org"
    assert store.stations.token(ORG, "TAG2").user_id == "bob@x.org"
