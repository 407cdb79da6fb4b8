"""Configuration keys and templates over REST: who may read and change them, the manual's texts,
searches, and the templates' versions (sending is covered with a real charger in tests/integration)."""

from __future__ import annotations

from chalicelib import clock
from chalicelib.domain import commands
from chalicelib.ports.configuration import ConfigKey
from chalicelib.ports.registry import store

E13 = "/api/v1/stations/EVI00000013/configuration"
TEMPLATES = "/api/v1/configuration-templates"
DENIED = "Access denied."
MISSING = "Charging station does not exist."
CONFIG_ERROR = "Charging point configuration error."


def keys_of(reply) -> list[str]:
    assert reply.status == 200, reply
    return [k["key"] for k in reply.body["keys"]]


def test_keys_are_read_searched_by_substring_and_only_in_the_domain(world):
    # Given stored keys of EVI00000013 (ACME Pine Mall)
    store().configuration.put_keys("ACME", "EVI00000013", [
        ConfigKey("HeartbeatInterval", "300", reported=True),
        ConfigKey("MeterValueSampleInterval", "60", reported=True),
        ConfigKey("ChargePointModel", "EVF200", readonly=True, reported=True),
    ])
    # Then admins and basic operators read them, searched case-insensitively
    assert keys_of(world.basic.get(E13)) == ["ChargePointModel", "HeartbeatInterval", "MeterValueSampleInterval"]
    assert keys_of(world.admin.get(E13 + "?q=INTERVAL")) == ["HeartbeatInterval", "MeterValueSampleInterval"]
    body = world.admin.get(E13).body
    assert (body["source"], body["drift"], body["template_id"]) == ("Defined by User", 0, None)
    assert body["keys"][0] == {
        "key": "ChargePointModel", "value": "EVF200", "readonly": True, "reported": True, "recommended": None,
        "desired": None, "origin": None, "drift": False, "status": None, "status_at": None,
    }
    # And another subtree's admin or another organization gets "not found"
    for outsider in (world.sibling, world.other_org):
        reply = outsider.get(E13)
        assert (reply.status, reply.message) == (404, MISSING)


def test_changes_are_for_admins_and_a_read_only_key_is_refused_before_sending(world):
    store().configuration.put_keys("ACME", "EVI00000013", [ConfigKey("ChargePointModel", "EVF200", readonly=True)])
    reply = world.basic.put(E13 + "/keys/HeartbeatInterval", {"value": "300"})
    assert (reply.status, reply.message) == (403, DENIED)
    reply = world.basic.post(E13 + "/system")
    assert (reply.status, reply.message) == (403, DENIED)
    reply = world.admin.put(E13 + "/keys/ChargePointModel", {"value": "X"})
    assert (reply.status, reply.message) == (400, CONFIG_ERROR)
    # nothing was recorded as wanted for the read-only key
    assert store().configuration.key("ACME", "EVI00000013", "ChargePointModel").desired is None
    reply = world.other_org.put(E13 + "/keys/HeartbeatInterval", {"value": "300"})
    assert (reply.status, reply.message) == (404, MISSING)
    reply = world.admin.put(E13 + "/keys/HeartbeatInterval", {"value": "x" * 501})
    assert reply.status == 400
    reply = world.admin.put(E13 + "/keys/" + "K" * 51, {"value": "1"})
    assert reply.status == 400 and "ChangeConfiguration payload: key" in reply.message
    # none of these refusals sent anything or recorded a command
    assert commands.history("ACME", "EVI00000013").items == []
    assert store().configuration.key("ACME", "EVI00000013", "K" * 51) is None


def test_refresh_of_a_station_not_connected_shows_the_manual_text(world):
    reply = world.basic.post(E13 + "/refresh")
    assert reply.status == 202
    assert (reply.body["state"], reply.body["message"]) == ("Offline", CONFIG_ERROR)


def test_use_system_configuration_needs_a_template_for_the_model(world):
    reply = world.admin.post(E13 + "/system")
    assert (reply.status, reply.message) == (404, "No configuration template for this charger model.")


def test_templates_crud_with_versions_and_rights(world):
    body = {"vendor": "Ensto", "model": "EVF200", "keys": {"HeartbeatInterval": "300"}}
    created = world.admin.post(TEMPLATES, body)
    assert created.status == 201 and created.body["version"] == 1
    template = f"{TEMPLATES}/{created.body['template_id']}"
    # one template per model (vendor and model compared case-insensitively)
    again = world.admin.post(TEMPLATES, {**body, "vendor": "ENSTO"})
    assert (again.status, again.message) == (409, "A configuration template already exists for this charger model.")
    # every operator of the organization reads it; writing is for admins of the whole organization
    assert [t["model"] for t in world.basic.get(TEMPLATES).body["items"]] == ["EVF200"]
    assert world.sibling.get(template).status == 200
    for caller in (world.basic, world.sibling):
        reply = caller.put(template, {"keys": {}, "version": 1})
        assert (reply.status, reply.message) == (403, DENIED)
    reply = world.other_org.get(template)
    assert (reply.status, reply.message) == (404, "Configuration template does not exist.")
    assert world.other_org.get(TEMPLATES).body["items"] == []
    # edits carry the version read
    edited = world.admin.put(template, {"keys": {"HeartbeatInterval": "120", "LocalAuthorizeOffline": "true"}, "version": 1})
    assert edited.status == 200 and edited.body["version"] == 2
    stale = world.admin.put(template, {"keys": {}, "version": 1})
    assert (stale.status, stale.message) == (409, "The configuration template was changed by another operator. Refresh the page and try again.")
    bad = world.admin.put(template, {"keys": {"K" * 51: "1"}, "version": 2})
    assert bad.status == 400
    # the station of that model shows which template is its own
    store().stations.record_boot("ACME", "EVI00000013", {"vendor": "ensto", "model": "evf200"}, clock.now())
    assert world.admin.get(E13).body["template_id"] == created.body["template_id"]
    assert world.admin.delete(template).status == 204
    assert world.admin.delete(template).status == 404


def test_a_template_may_name_the_models_current_limit_key(world):
    body = {"vendor": "Ensto", "model": "EVF100", "keys": {}, "current_limit_key": "MaxCurrent"}
    created = world.admin.post(TEMPLATES, body)
    assert created.status == 201 and created.body["current_limit_key"] == "MaxCurrent"
    template = f"{TEMPLATES}/{created.body['template_id']}"
    assert world.basic.get(template).body["current_limit_key"] == "MaxCurrent"
    # a PUT replaces the template: without the field the model has no such key any more
    assert world.admin.put(template, {"keys": {}, "version": 1}).body["current_limit_key"] is None
    bad = world.admin.put(template, {"keys": {}, "version": 2, "current_limit_key": "K" * 51})
    assert bad.status == 400


def test_the_drift_list_shows_only_the_domain(world):
    store().configuration.put_keys("ACME", "EVI00000013", [ConfigKey("HeartbeatInterval", "900", desired="300", by_user=True)])
    store().configuration.put_keys("ACME", "EVI00000015", [ConfigKey("HeartbeatInterval", "900", desired="300", by_user=True)])
    from chalicelib.domain import configuration

    configuration.note_drift("ACME", "EVI00000013", clock.now())
    configuration.note_drift("ACME", "EVI00000015", clock.now())
    assert [d["station_id"] for d in world.admin.get("/api/v1/configuration/drift").body["items"]] == ["EVI00000013", "EVI00000015"]
    assert [d["station_id"] for d in world.sibling.get("/api/v1/configuration/drift").body["items"]] == ["EVI00000015"]
    assert world.other_org.get("/api/v1/configuration/drift").body["items"] == []
    assert keys_of(world.admin.get(E13 + "?drift=true")) == ["HeartbeatInterval"]
