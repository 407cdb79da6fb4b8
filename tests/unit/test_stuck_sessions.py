"""Stuck sessions on the in-memory store: the rule, the soft stop with its last register, a late real stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import charging, metering, stuck
from chalicelib.domain.errors import Conflict
from chalicelib.memstore import memory_store
from chalicelib.ports.aggregates import Scope
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Organization, Station, Token, TokenHolder
from chalicelib.ports.stuck import HEARD, LATE_STOP, PROBED, PROBING, RECOVERED, SOFT_STOP, SOFT_STOPPED, Watched

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
POWER = 22_000.0
POLICY = stuck.Policy(timedelta(minutes=30), timedelta(minutes=5))


def watched(heard_min: int, probed_min: int | None = None, state: str = "Active") -> Watched:
    probed = T0 + timedelta(minutes=probed_min) if probed_min is not None else None
    return Watched(1, "ACME", "CP1", 1, state, T0 + timedelta(minutes=heard_min), 1000.0, probed)


@pytest.mark.parametrize(
    ("session", "minutes", "action"),
    [
        (watched(0), 29, stuck.NOTHING),  # not silent long enough
        (watched(0), 30, stuck.PROBE),
        (watched(0, probed_min=30), 34, stuck.WAIT),  # probed, its wait not over
        (watched(0, probed_min=30), 35, stuck.STOP),  # probed, nothing came back
        (watched(31, probed_min=30), 35, stuck.RECOVER),  # heard after the probe
        (watched(0, state="Completed"), 90, stuck.NOTHING),
    ],
)
def test_the_rule(session, minutes, action):
    assert stuck.decide(session, T0 + timedelta(minutes=minutes), POLICY) == action


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="g1", group_path="/g1/"))
        store.stations.add_organization(Organization("ACME"))
        store.stations.add_token("ACME", Token("TAG", "u1"))
        store.stations.add_holder("ACME", TokenHolder("u1", access_group_ids=("g1",)))
        yield store


def entry(at: datetime, wh: float) -> metering.Entry:
    return metering.Entry(at, [metering.Value(metering.ENERGY, "Wh", wh)], [{"value": str(wh)}])


def silent_session() -> int:
    transaction_id, _ = charging.start("ACME", "CP1", 1, "TAG", 1_000_000, T0, T0, POWER)
    charging.meter_values("ACME", "CP1", 1, transaction_id, [entry(T0 + timedelta(minutes=10), 1_002_000)], POWER)
    return transaction_id


def day_energy(memory) -> float:
    return sum(item["energy_wh"] for (scope, _), item in memory.records.rollups.items() if scope == Scope.station("ACME", "CP1")
               and item["sessions"]) / 2  # a day item and an hour item per session


def test_a_soft_stop_closes_with_the_last_register_and_a_late_stop_counts_nothing_again(memory):
    tx = silent_session()
    record = stuck.soft_stop("ACME", "CP1", tx, T0 + timedelta(hours=1))
    session = memory.records.session(tx)
    assert (session.state, session.last_register_wh, session.energy_wh) == ("Completed", 1_002_000, 2000)
    assert metering.SOFT_STOPPED in session.flags
    assert (record.state, [s.kind for s in record.steps]) == (SOFT_STOPPED, [SOFT_STOP])
    assert record.steps[0].detail["energy_wh"] == 2000
    counted = day_energy(memory)
    assert counted == 2000
    # The charger comes back and sends its own stop, with more energy than we counted.
    charging.stop("ACME", "CP1", tx, 1_009_000, T0 + timedelta(hours=2), T0 + timedelta(hours=2))
    assert memory.records.session(tx).energy_wh == 2000 and day_energy(memory) == counted
    charging.stop("ACME", "CP1", tx, 1_009_000, T0 + timedelta(hours=2), T0 + timedelta(hours=2))  # retried
    assert [s.kind for s in memory.stuck.get("ACME", "CP1", tx).steps] == [SOFT_STOP, LATE_STOP]
    late = memory.stuck.get("ACME", "CP1", tx).steps[-1]
    assert (late.kind, late.detail) == (LATE_STOP, {"meter_stop_wh": 1_009_000, "not_counted_wh": 7000.0})


def test_a_session_stopped_by_the_charger_first_is_not_soft_stopped(memory):
    tx = silent_session()
    charging.stop("ACME", "CP1", tx, 1_003_000, T0 + timedelta(minutes=20), T0 + timedelta(minutes=20))
    with pytest.raises(Conflict, match="not active"):
        stuck.soft_stop("ACME", "CP1", tx, T0 + timedelta(hours=1))
    assert memory.stuck.get("ACME", "CP1", tx) is None


def test_a_session_heard_after_the_probe_recovers(memory):
    tx = silent_session()
    probe_at = T0 + timedelta(minutes=45)
    assert memory.stuck.mark_probed(tx, None, probe_at)
    memory.stuck.open(stuck.StuckRecord("ACME", "CP1", tx, 1, "/g1/", PROBING, probe_at, (stuck.Step(PROBED, probe_at),)))
    charging.meter_values("ACME", "CP1", 1, tx, [entry(probe_at + timedelta(minutes=1), 1_002_500)], POWER)
    assert stuck.sweep(probe_at + timedelta(minutes=2), POLICY) == {stuck.RECOVER: 1}
    record = memory.stuck.get("ACME", "CP1", tx)
    assert (record.state, [s.kind for s in record.steps]) == (RECOVERED, [PROBED, HEARD])
    assert memory.stuck.watched([tx])[0].probed_at is None  # a later silence is probed anew
    assert stuck.sweep(probe_at + timedelta(minutes=3), POLICY) == {stuck.NOTHING: 1}  # heard 2 minutes ago


def test_the_job_probes_a_silent_session_records_the_answers_then_soft_stops_it(memory):
    import json

    from chalicelib.domain import commands, connections, identity

    connections._CACHE.clear()
    assert connections.connected(identity.StationIdentity("ACME", "CP1"), "c1", T0)
    tx = silent_session()  # last heard at 10 minutes
    assert stuck.sweep(T0 + timedelta(minutes=39), POLICY) == {stuck.NOTHING: 1}
    probe_at = T0 + timedelta(minutes=40)
    assert stuck.sweep(probe_at, POLICY) == {stuck.PROBE: 1}
    frames = [json.loads(text) for _, text in memory.chargers.sent]
    assert [(f[2], f[3]) for f in frames] == [
        ("TriggerMessage", {"requestedMessage": "MeterValues", "connectorId": 1}),
        ("TriggerMessage", {"requestedMessage": "StatusNotification", "connectorId": 1}),
    ]
    assert stuck.sweep(probe_at + timedelta(minutes=1), POLICY) == {stuck.WAIT: 1}  # another run: no second probe
    assert len(memory.chargers.sent) == 2
    commands.answered(commands.get("ACME", "CP1", frames[0][1]), {"status": "Accepted"})
    assert stuck.sweep(probe_at + timedelta(minutes=2), POLICY) == {stuck.WAIT: 1}
    # Nothing came back (no MeterValues after the Accepted): soft-stopped when the wait is over.
    assert stuck.sweep(probe_at + timedelta(minutes=5), POLICY) == {stuck.STOP: 1}
    record = memory.stuck.get("ACME", "CP1", tx)
    assert [s.kind for s in record.steps] == [PROBED, "answered", SOFT_STOP]
    assert record.steps[1].detail == {"command_id": frames[0][1], "message": "MeterValues", "state": "Answered",
                                      "status": "Accepted", "error": None}
    assert record.steps[0].detail["commands"][1]["state"] == "Pending"
    assert memory.records.session(tx).state == "Completed"
    assert stuck.sweep(probe_at + timedelta(minutes=6), POLICY) == {}  # closed: out of the active index
    connections._CACHE.clear()


def test_an_offline_station_is_probed_and_the_probe_says_so(memory):
    tx = silent_session()
    assert stuck.sweep(T0 + timedelta(hours=1), POLICY) == {stuck.PROBE: 1}
    probe = memory.stuck.get("ACME", "CP1", tx).steps[0]
    assert [c["state"] for c in probe.detail["commands"]] == ["Offline", "Offline"]
    assert stuck.sweep(T0 + timedelta(hours=1, minutes=1), POLICY) == {stuck.WAIT: 1}
    assert [s.kind for s in memory.stuck.get("ACME", "CP1", tx).steps] == [PROBED, "no_answer", "no_answer"]
