"""Configuration keys and templates on the in-memory store: origins, source, drift, what answers and
templates change, who may write templates (no moto, no charger)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import configuration, configuration_templates
from chalicelib.domain import configuration_rules as rules
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, Denied, NotFound
from chalicelib.memstore import memory_store
from chalicelib.ports.configuration import ConfigKey, Template
from chalicelib.ports.estate import NewStation
from chalicelib.ports.registry import store, using

ORG = "ACME"
NOW = datetime(2026, 1, 1, tzinfo=UTC)
ENSTO = Template(ORG, "Ensto", "EVF200", {"HeartbeatInterval": "300", "MeterValueSampleInterval": "60"})


@pytest.fixture
def estate():
    with using(memory_store()):
        estate = store().estate
        root = estate.provision_group(ORG, "root", "Malls", None)
        pine = estate.provision_group(ORG, "pine", "Pine", root)
        estate.create_station(NewStation(ORG, "S1", "S1", pine), guarded=False)
        estate.create_station(NewStation(ORG, "S2", "S2", pine), guarded=False)
        yield estate


def admin(base: str = "root", path: str = "/root/", role: str = "admin") -> Principal:
    return Principal("ada", ORG, role, base, path, role_at_login=role)


def test_origin_and_drift_of_each_kind_of_key():
    # Given one key of each kind
    system = ConfigKey("A", "1", recommended="1", desired="1")
    overwritten = ConfigKey("B", "9", recommended="1", desired="9", by_user=True)
    user = ConfigKey("C", "5", desired="6", by_user=True)
    charger_only = ConfigKey("D", "x", reported=True)
    # Then each shows the help's label, and only a key whose active value is not the desired one drifts
    assert [rules.origin(k) for k in (system, overwritten, user, charger_only)] == [
        "Added by System", "System Value Overwritten", "Added by User", None,
    ]
    assert [rules.drifts(k) for k in (system, overwritten, user, charger_only)] == [False, False, True, False]
    # An operator who typed the system's own value back did not overwrite it
    assert rules.origin(ConfigKey("E", "1", recommended="1", desired="1", by_user=True)) == "Added by System"


def test_the_station_source_follows_its_keys():
    assert rules.source([ConfigKey("D", "x")]) == "Defined by User"
    assert rules.source([]) == "Defined by User"
    system = [ConfigKey("A", "1", recommended="1", desired="1"), ConfigKey("D", "x")]
    assert rules.source(system) == "Defined by System"
    assert rules.source([*system, ConfigKey("C", None, desired="6", by_user=True)]) == "System Values Overwritten"
    assert rules.source([ConfigKey("A", "2", recommended="1", desired="2", by_user=True)]) == "System Values Overwritten"


def test_a_full_refresh_replaces_the_charger_list_but_keeps_what_the_system_wants():
    # Given stored keys: one the user wants, one only reported before, one still reported
    stored = {
        "Wanted": ConfigKey("Wanted", "1", reported=True, desired="2", by_user=True),
        "Old": ConfigKey("Old", "x", reported=True),
        "Kept": ConfigKey("Kept", "a", reported=True, status="Accepted"),
    }
    # When the charger's whole list no longer has Wanted and Old
    writes, deletes = rules.reported(stored, [{"key": "Kept", "readonly": True, "value": "b"}, {"key": "New", "readonly": False}], full=True)
    # Then Kept is updated (its last status kept), New added without value, Wanted kept unreported, Old dropped
    by_key = {k.key: k for k in writes}
    assert by_key["Kept"] == ConfigKey("Kept", "b", readonly=True, reported=True, status="Accepted")
    assert by_key["New"] == ConfigKey("New", None, reported=True)
    assert by_key["Wanted"] == ConfigKey("Wanted", None, reported=False, desired="2", by_user=True)
    assert deletes == ["Old"]
    # A partial answer (keys asked for) deletes nothing
    assert rules.reported(stored, [], full=False) == ([], [])


def test_change_answers_set_the_value_only_when_the_charger_takes_it():
    old = ConfigKey("K", "1", desired="2", by_user=True)
    assert rules.answered(old, "K", "2", "Accepted", NOW).value == "2"
    assert rules.answered(old, "K", "2", "RebootRequired", NOW) == ConfigKey("K", "2", desired="2", by_user=True, status="RebootRequired", status_at=NOW)
    for refused in ("Rejected", "NotSupported"):
        assert rules.answered(old, "K", "2", refused, NOW) == ConfigKey("K", "1", desired="2", by_user=True, status=refused, status_at=NOW)
    assert rules.answered(None, "K", "2", "Accepted", NOW).value == "2"


def test_a_template_plan_reverts_overwrites_keeps_user_keys_and_skips_read_only_and_equal_values():
    stored = {
        "HeartbeatInterval": ConfigKey("HeartbeatInterval", "900", recommended="300", desired="900", by_user=True),
        "MeterValueSampleInterval": ConfigKey("MeterValueSampleInterval", "60", readonly=False),
        "Dropped": ConfigKey("Dropped", "1", recommended="1", desired="1"),
        "Mine": ConfigKey("Mine", "7", desired="7", by_user=True),
    }
    template = Template(ORG, "Ensto", "EVF200", {**ENSTO.keys, "Locked": "1"})
    stored["Locked"] = ConfigKey("Locked", "0", readonly=True)
    writes, sends = rules.planned(stored, template)
    by_key = {k.key: k for k in writes}
    assert sends == [("HeartbeatInterval", "300")]  # MeterValueSampleInterval already 60, Locked read-only
    assert by_key["HeartbeatInterval"] == ConfigKey("HeartbeatInterval", "900", recommended="300", desired="300")
    assert by_key["Dropped"] == ConfigKey("Dropped", "1")  # no longer the system's, nobody wants it
    assert "Mine" not in by_key
    assert rules.source([*writes, stored["Mine"]]) == "System Values Overwritten"


def test_answers_are_stored_searched_and_drift_is_listed_per_domain(estate):
    # Given a refresh answer for S1 and an operator's wish the charger refused
    configuration.got(ORG, "S1", [], [
        {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
        {"key": "ChargePointVendor", "readonly": True, "value": "Ensto"},
    ], [], NOW)
    store().configuration.put_keys(ORG, "S1", [rules.wished(store().configuration.key(ORG, "S1", "HeartbeatInterval"), "HeartbeatInterval", "60")])
    configuration.changed(ORG, "S1", "HeartbeatInterval", "60", "Rejected", NOW + timedelta(seconds=1))
    # When an admin of the organization reads it
    view = configuration.view(admin(), "S1", q="heart")
    # Then the search found one key; it shows the charger's refusal and drifts
    assert [(r.key, r.value, r.desired, r.status, r.drift, r.origin) for r in view.keys] == [
        ("HeartbeatInterval", "300", "60", "Rejected", True, "Added by User"),
    ]
    assert (view.source, view.drift, view.refreshed_at) == ("Defined by User", 1, NOW)
    assert [r.key for r in configuration.view(admin(), "S1", drift_only=True).keys] == ["HeartbeatInterval"]
    assert [d.station_id for d in configuration.drifting(admin())] == ["S1"]
    # the other subtree's admin sees neither the list entry nor the station
    assert configuration.drifting(admin("birch", "/root/birch/")) == []
    with pytest.raises(NotFound):
        configuration.view(admin("birch", "/root/birch/"), "S1")
    # When the charger finally takes the value, the drift is gone
    configuration.changed(ORG, "S1", "HeartbeatInterval", "60", "Accepted", NOW + timedelta(seconds=2))
    assert configuration.drifting(admin()) == [] and configuration.view(admin(), "S1").drift == 0


def test_templates_are_written_by_admins_of_the_whole_organization_only(estate):
    created = configuration_templates.create(admin(), "Ensto", "EVF200", dict(ENSTO.keys), NOW)
    assert [t.model for t in configuration_templates.listed(admin(role="basic"))] == ["EVF200"]
    with pytest.raises(Conflict, match="already exists"):
        configuration_templates.create(admin(), "ensto", "evf200", {}, NOW)
    with pytest.raises(Denied, match="Access denied."):
        configuration_templates.create(admin(role="basic"), "Alfen", "Eve", {}, NOW)
    with pytest.raises(Denied, match="Access denied."):
        configuration_templates.update(admin("pine", "/root/pine/"), created.template_id, {}, created.version, NOW)
    updated = configuration_templates.update(admin(), created.template_id, {"A": "1"}, created.version, NOW)
    with pytest.raises(Conflict, match="changed by another operator"):
        configuration_templates.update(admin(), created.template_id, {}, created.version, NOW)
    assert updated.keys == {"A": "1"}
    configuration_templates.delete(admin(), created.template_id)
    with pytest.raises(NotFound, match="Configuration template does not exist."):
        configuration_templates.get(admin(), created.template_id)
