"""The stuck-sessions and load ports: the active index, the probe mark, stuck records and limits, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.errors import NotFound
from chalicelib.ports.load import GroupLimit
from chalicelib.ports.records import NewSession, SessionClosed
from chalicelib.ports.stuck import PROBED, PROBING, SOFT_STOP, SOFT_STOPPED, ActiveSession, Step, StuckRecord

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def open_session(store, transaction_id: int, org_id: str = "ACME", station_id: str = "CP1", minutes: int = 0) -> None:
    at = T0 + timedelta(minutes=minutes)
    store.records.create_session(
        NewSession(transaction_id, org_id, station_id, 2, "TAG", None, "Accepted", at, 1000.0, 22_000.0, 0.0), at
    )


def test_active_sessions_come_from_the_index_and_leave_it_when_closed(store):
    open_session(store, 5, minutes=2)
    open_session(store, 6, station_id="CP2", minutes=1)
    open_session(store, 7, org_id="OTHER")
    assert store.records.close("ACME", "CP1", SessionClosed(5, T0 + timedelta(hours=1), 1000.0, 0.0))
    assert store.stuck.active_sessions() == [
        ActiveSession(7, "OTHER", "CP1", 2, T0), ActiveSession(6, "ACME", "CP2", 2, T0 + timedelta(minutes=1)),
    ]
    assert [a.transaction_id for a in store.stuck.active_sessions("ACME")] == [6]
    assert store.stuck.active_sessions("ACM") == []  # a prefix of another organization's id is not that organization


def test_the_probe_mark_is_set_only_over_what_was_seen(store):
    open_session(store, 5)
    [watched] = store.stuck.watched([5, 99])
    assert (watched.last_heard_at, watched.probed_at, watched.state, watched.connector_id) == (T0, None, "Active", 2)
    later = T0 + timedelta(minutes=30)
    assert store.stuck.mark_probed(5, None, later)
    assert not store.stuck.mark_probed(5, None, later)  # another run probed meanwhile
    assert store.stuck.watched([5])[0].probed_at == later
    assert store.stuck.mark_probed(5, later, None) and store.stuck.watched([5])[0].probed_at is None
    assert store.stuck.mark_probed(5, None, later)
    assert store.records.close("ACME", "CP1", SessionClosed(5, later, 1000.0, 0.0))
    assert not store.stuck.mark_probed(5, later, later + timedelta(minutes=1))  # closed: never probed again


def test_stuck_records_keep_every_step_in_order(store):
    step = Step(PROBED, T0, {"commands": ["c1", "c2"]})
    store.stuck.open(StuckRecord("ACME", "CP1", 5, 2, "/g1/", PROBING, T0, (step,)))
    store.stuck.open(StuckRecord("ACME", "CP2", 6, 1, None, PROBING, T0, (step,)))
    stop = Step(SOFT_STOP, T0 + timedelta(minutes=5), {"register_wh": 1500.0}, operator_id="op")
    store.stuck.advance("ACME", "CP1", 5, SOFT_STOPPED, stop)
    record = store.stuck.get("ACME", "CP1", 5)
    assert (record.state, record.group_path, record.steps) == (SOFT_STOPPED, "/g1/", (step, stop))
    assert [r.transaction_id for r in store.stuck.of_organization("ACME")] == [6, 5]
    assert [r.transaction_id for r in store.stuck.of_station("ACME", "CP1")] == [5]
    assert store.stuck.of_organization("OTHER") == []
    reopened = Step(PROBED, T0 + timedelta(hours=1))
    store.stuck.open(StuckRecord("ACME", "CP1", 5, 2, "/g1/", PROBING, reopened.at, (reopened,)))
    assert store.stuck.get("ACME", "CP1", 5).steps == (step, stop, reopened)
    with pytest.raises(NotFound):
        store.stuck.advance("ACME", "CP9", 5, None, stop)


def test_limits_and_exclusions_per_organization(store):
    store.load.set_limit("ACME", GroupLimit("g1", 32.0, 3, 6.0))
    store.load.set_limit("ACME", GroupLimit("g2", 16.0, 1, 6.0))
    store.load.set_limit("OTHER", GroupLimit("g1", 10.0))
    store.load.set_excluded("ACME", "CP1", True)
    store.load.set_excluded("ACME", "CP2", True)
    store.load.set_excluded("ACME", "CP2", False)
    settings = store.load.settings("ACME")
    assert settings.limits == {"g1": GroupLimit("g1", 32.0, 3, 6.0), "g2": GroupLimit("g2", 16.0, 1, 6.0)}
    assert settings.excluded == {"CP1"}
    assert store.load.clear_limit("ACME", "g2") and not store.load.clear_limit("ACME", "g2")
    assert set(store.load.settings("ACME").limits) == {"g1"}
