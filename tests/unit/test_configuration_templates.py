"""Templates applied to a station on the in-memory store, the charger played through the real answer path
(protocol/router -> replies -> the outbound modules' on_answered): what is sent, what is refused, when a
Pending station becomes Accepted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.domain import configuration_rules as rules
from chalicelib.domain import configuration_templates, connections, identity
from chalicelib.memstore import memory_store
from chalicelib.ports.configuration import ConfigKey, Template
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Station
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TEMPLATE = Template("ACME", "Ensto", "EVF200", {"HeartbeatInterval": "300", "MeterValueSampleInterval": "60"})


@pytest.fixture
def station(monkeypatch):
    """CP1, Pending in group g1, connected; the Ensto EVF200 template stored."""
    moments = iter(NOW + timedelta(milliseconds=i) for i in range(10_000))
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", registration="Pending", group_id="g1", group_path="/g1/"))
        connections._CACHE.clear()
        assert connections.connected(identity.StationIdentity("ACME", "CP1"), "c1", NOW)
        store.configuration.put_template(TEMPLATE)
        yield store
        connections._CACHE.clear()


def calls(store) -> list[list]:
    """The CALLs the charger got: [2, id, action, payload]."""
    return [json.loads(text) for _, text in store.chargers.sent]


def answer(call: list, payload: dict) -> None:
    assert handle_frame(StationContext("ACME", "CP1", "c1"), json.dumps([3, call[1], payload]), {}) is None


def test_a_pending_station_gets_its_template_once_and_is_accepted_when_every_change_is_taken(station):
    # When the Pending station boots as an Ensto EVF200 (after the boot's answer)
    sent = configuration_templates.at_boot("ACME", "CP1", "ENSTO", "evf200", NOW)
    # Then each template key went out as ChangeConfiguration, the keys show the system's values
    assert [(c[2], c[3]) for c in calls(station)] == [
        ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "300"}),
        ("ChangeConfiguration", {"key": "MeterValueSampleInterval", "value": "60"}),
    ]
    assert [c.state for c in sent] == ["Pending", "Pending"]
    assert rules.source(station.configuration.keys("ACME", "CP1")) == "Defined by System"
    assert station.configuration.meta("ACME", "CP1").applying == {"HeartbeatInterval", "MeterValueSampleInterval"}
    # a second boot while the answers are out sends nothing more
    assert configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF200", NOW) == []
    # When the charger takes the first, the station is still Pending; after the second, Accepted
    first, second = calls(station)
    answer(first, {"status": "Accepted"})
    assert station.stations.get("ACME", "CP1").registration == "Pending"
    answer(second, {"status": "RebootRequired"})
    assert station.stations.get("ACME", "CP1").registration == "Accepted"
    keys = {k.key: k for k in station.configuration.keys("ACME", "CP1")}
    assert keys["MeterValueSampleInterval"] == ConfigKey(
        "MeterValueSampleInterval", "60", recommended="60", desired="60", status="RebootRequired", status_at=keys["MeterValueSampleInterval"].status_at,
    )
    assert station.configuration.drifting("ACME") == []


def test_a_refused_change_leaves_the_station_pending_and_drifting(station):
    configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF200", NOW)
    first, second = calls(station)
    answer(first, {"status": "Rejected"})
    answer(second, {"status": "Accepted"})
    assert station.stations.get("ACME", "CP1").registration == "Pending"
    assert station.configuration.meta("ACME", "CP1").failed == {"HeartbeatInterval"}
    assert [(d.station_id, d.keys) for d in station.configuration.drifting("ACME")] == [("CP1", 1)]


def test_a_change_ending_in_an_error_or_no_answer_settles_as_refused(station):
    from chalicelib.jobs import command_timeouts
    from chalicelib.jobs.runner import Tick

    configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF200", NOW)
    first, second = calls(station)
    assert handle_frame(StationContext("ACME", "CP1", "c1"), json.dumps([4, first[1], "InternalError", "busy", {}]), {}) is None
    assert station.configuration.meta("ACME", "CP1").applying == {"MeterValueSampleInterval"}
    later = NOW + timedelta(hours=1)  # the second is never answered: the minute job times it out
    assert command_timeouts.run(Tick(later, later)) == 1
    meta = station.configuration.meta("ACME", "CP1")
    assert (meta.applying, meta.failed) == (set(), {"HeartbeatInterval", "MeterValueSampleInterval"})
    assert station.stations.get("ACME", "CP1").registration == "Pending"


def test_no_template_for_orphans_accepted_stations_or_other_models(station):
    assert configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF999", NOW) == []
    station.stations.add(Station("ACME", "ORPHAN", registration="Pending"))
    assert configuration_templates.at_boot("ACME", "ORPHAN", "Ensto", "EVF200", NOW) == []
    station.stations.accept_pending("ACME", "CP1")
    assert configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF200", NOW) == []
    assert calls(station) == []


def test_keys_at_the_value_already_are_not_sent_and_nothing_to_send_accepts_at_once(station):
    station.configuration.put_keys("ACME", "CP1", [
        ConfigKey("HeartbeatInterval", "300", reported=True), ConfigKey("MeterValueSampleInterval", "60", reported=True),
    ])
    assert configuration_templates.at_boot("ACME", "CP1", "Ensto", "EVF200", NOW) == []
    assert calls(station) == []
    assert station.stations.get("ACME", "CP1").registration == "Accepted"


def test_an_offline_station_fails_its_changes_at_once(station):
    connections.disconnected("c1", NOW)
    sent = configuration_templates.apply("ACME", "CP1", TEMPLATE, NOW, "ada")
    assert [c.state for c in sent] == ["Offline", "Offline"]
    meta = station.configuration.meta("ACME", "CP1")
    assert (meta.applying, meta.failed) == (frozenset(), {"HeartbeatInterval", "MeterValueSampleInterval"})
    assert station.stations.get("ACME", "CP1").registration == "Pending"


def test_get_configuration_answers_through_the_hook_store_keys_and_unknown_ones(station):
    from chalicelib.domain import commands

    command = commands.send("ACME", "CP1", "GetConfiguration", {"key": ["HeartbeatInterval", "Nope"]})
    answer(calls(station)[0], {"configurationKey": [{"key": "HeartbeatInterval", "readonly": False, "value": "900"}], "unknownKey": ["Nope"]})
    assert station.configuration.key("ACME", "CP1", "HeartbeatInterval") == ConfigKey("HeartbeatInterval", "900", reported=True)
    meta = station.configuration.meta("ACME", "CP1")
    assert meta.unknown_keys == ("Nope",) and meta.refreshed_at == commands.get("ACME", "CP1", command.command_id).completed_at
