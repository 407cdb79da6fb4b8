"""The configuration port on both stores: keys, the station's meta and its atomic settle, templates with
their versions, drift."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.configuration import ConfigKey, StationConfig, Template, template_id
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_keys_are_written_whole_read_in_key_order_and_deleted(store):
    port = store.configuration
    port.put_keys("ACME", "S1", [ConfigKey("b", "2", readonly=True, reported=True), ConfigKey("A", "1")])
    port.put_keys("ACME", "S2", [ConfigKey("other", "x")])
    port.put_keys("ACME", "S1", [ConfigKey("A", "9", desired="9", by_user=True, status="Accepted", status_at=T0)])
    assert [k.key for k in port.keys("ACME", "S1")] == ["A", "b"]
    assert port.key("ACME", "S1", "A") == ConfigKey("A", "9", desired="9", by_user=True, status="Accepted", status_at=T0)
    assert port.key("ACME", "S1", "b").readonly
    assert port.key("ACME", "S1", "other") is None
    port.delete_keys("ACME", "S1", ["b", "never-there"])
    assert [k.key for k in port.keys("ACME", "S1")] == ["A"]
    assert [k.key for k in port.keys("ACME", "S2")] == ["other"]


def test_meta_defaults_then_round_trips(store):
    port = store.configuration
    assert port.meta("ACME", "S1") == StationConfig()
    meta = StationConfig(T0, ("Foo",), "t1", T0, frozenset({"c1", "c2"}), frozenset())
    port.put_meta("ACME", "S1", meta)
    assert port.meta("ACME", "S1") == meta


def test_settle_takes_each_answer_out_once_and_remembers_refusals(store):
    # Given a template application waiting for three answers
    port = store.configuration
    port.put_meta("ACME", "S1", StationConfig(template_id="t1", applying=frozenset({"c1", "c2", "c3"})))
    # When they are answered, one refused, one answered twice
    first = port.settle("ACME", "S1", "c1", ok=True)
    assert port.settle("ACME", "S1", "c1", ok=True) is None
    second = port.settle("ACME", "S1", "c2", ok=False)
    last = port.settle("ACME", "S1", "c3", ok=True)
    # Then each settle sees what is left, and a command of no application is not one
    assert first.applying == {"c2", "c3"} and second.applying == {"c3"} and second.failed == {"c2"}
    assert last.applying == frozenset() and last.failed == {"c2"} and last.template_id == "t1"
    assert port.settle("ACME", "S9", "c1", ok=True) is None


def test_templates_are_created_once_per_model_and_replaced_by_version(store):
    port = store.configuration
    created = port.put_template(Template("ACME", "Ensto", "EVF200", {"HeartbeatInterval": "300"}, updated_at=T0))
    assert created.version == 1 and created.template_id == template_id("ensto ", "evf200")
    with pytest.raises(AlreadyExists):
        port.put_template(Template("ACME", "ENSTO", "evf200", {}))
    later = T0 + timedelta(minutes=1)
    updated = port.put_template(Template("ACME", "Ensto", "EVF200", {"A": "1", "B": "2"}, version=1, updated_at=later))
    assert updated.version == 2 and port.template("ACME", created.template_id) == updated
    with pytest.raises(ConditionFailed):
        port.put_template(Template("ACME", "Ensto", "EVF200", {}, version=1))
    port.put_template(Template("ACME", "Alfen", "Eve", {}))
    port.put_template(Template("OTHER", "Zeta", "Z", {}))
    assert [t.vendor for t in port.templates("ACME")] == ["Alfen", "Ensto"]
    port.delete_template("ACME", created.template_id)
    assert port.template("ACME", created.template_id) is None
    with pytest.raises(NotFound):
        port.delete_template("ACME", created.template_id)
    with pytest.raises(NotFound):
        port.put_template(Template("ACME", "Ensto", "EVF200", {}, version=2))


def test_drift_keeps_its_first_time_and_leaves_when_zero(store):
    port = store.configuration
    port.set_drift("ACME", "S2", 1, T0)
    port.set_drift("ACME", "S1", 2, T0)
    port.set_drift("ACME", "S1", 3, T0 + timedelta(hours=1))
    port.set_drift("OTHER", "S1", 1, T0)
    assert [(d.station_id, d.keys, d.since) for d in port.drifting("ACME")] == [("S1", 3, T0), ("S2", 1, T0)]
    port.set_drift("ACME", "S1", 0, T0)
    port.set_drift("ACME", "S3", 0, T0)
    assert [d.station_id for d in port.drifting("ACME")] == ["S2"]


def test_accept_pending_moves_only_a_pending_station(store):
    # (the stations port's one operation for configuration templates: Pending -> Accepted)
    store.stations.create_pending("ACME", "CP9", T0)
    assert store.stations.accept_pending("ACME", "CP9") is True
    assert store.stations.get("ACME", "CP9").registration == "Accepted"
    assert store.stations.accept_pending("ACME", "CP9") is False
    assert store.stations.accept_pending("ACME", "NOPE") is False
    assert store.stations.get("ACME", "NOPE") is None
