"""Roll-up rules on the in-memory store: sessions counted per scope and day, a point once per 24 hours."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import charging, statistics
from chalicelib.memstore import memory_store
from chalicelib.ports.aggregates import Scope
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Organization, Station, Token, TokenHolder

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def memory():
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="pine", group_path="/root/pine/", point_count=2))
        store.stations.add_organization(Organization("ACME", timezone="Europe/Berlin"))
        store.stations.add_token("ACME", Token("TAG", "u1"))
        store.stations.add_holder("ACME", TokenHolder("u1", access_group_ids=("root",)))
        yield store


def session(start: str, stop: str, connector: int = 1, energy: int = 5_000) -> None:
    began, ended = datetime.fromisoformat(start), datetime.fromisoformat(stop)
    tx, _ = charging.start("ACME", "CP1", connector, "tag", 1_000_000, began, began)
    charging.stop("ACME", "CP1", tx, 1_000_000 + energy, ended, NOW)


def test_a_point_counts_once_in_24_hours_whatever_its_sessions(memory):
    session("2026-11-21T08:00:00+00:00", "2026-11-21T08:30:00+00:00")
    session("2026-11-21T10:00:00+00:00", "2026-11-21T10:30:00+00:00")
    session("2026-11-21T09:00:00+00:00", "2026-11-21T11:30:00+00:00")  # stopped last, started earlier
    session("2026-11-21T09:00:00+00:00", "2026-11-21T09:30:00+00:00", connector=2)
    for scope in (Scope("ACME", "pine"), Scope("ACME", "root"), Scope.station("ACME", "CP1")):
        cards = statistics.last_24_hours([scope], NOW)
        assert (cards.charging_events, cards.used_points, cards.energy_kwh) == (4, 2, 20.0)
    assert statistics.last_24_hours([Scope("ACME")], NOW).charging_events == 0


def test_days_are_the_organizations_local_days_and_carry_the_own_stations(memory):
    session("2026-11-20T23:30:00+00:00", "2026-11-20T23:50:00+00:00", energy=1_000)  # 00:30 in Berlin
    dates = statistics.window(2, "Europe/Berlin", NOW)
    days, stations = statistics.per_day([Scope("ACME", "pine")], dates)
    assert [(d.date, d.sessions, d.energy_kwh) for d in days] == [("2026-11-20", 0, 0.0), ("2026-11-21", 1, 1.0)]
    assert stations == {"CP1": {"2026-11-21": (1, 1000.0)}}
    assert statistics.per_day([Scope("ACME", "root")], dates)[1] == {}  # only the station's own group lists it


def test_old_sessions_skip_the_hourly_items(memory):
    session("2026-11-19T10:00:00+00:00", "2026-11-21T11:00:00+00:00")
    assert statistics.last_24_hours([Scope("ACME", "pine")], NOW).charging_events == 0
    assert memory.aggregates.hour_totals(Scope("ACME", "pine"), "2026-11-19T00", "2026-11-21T23") == []
    [day] = memory.aggregates.day_totals(Scope("ACME", "pine"), "2026-11-19", "2026-11-19")
    assert day.sessions == 1
