"""The recount job: a slice of the organizations a minute, a warning naming what it corrected."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from chalicelib.domain import aggregates
from chalicelib.jobs import recount
from chalicelib.jobs.runner import Tick
from chalicelib.ports.stations import Organization


def _tick(minute: int) -> Tick:
    at = datetime(2026, 3, 1, 12, minute, tzinfo=UTC)
    return Tick(at, at)


def _minute_of(store, org_id: str) -> int:
    [minute] = [m for m in range(recount.SLICES) if org_id in store.stations.organization_slice(m, recount.SLICES)]
    return minute


def _counters(store, org_id: str) -> dict[str, dict[str, int]]:
    return {c.group_key: {k: v for k, v in c.counts.items() if v} for c in store.aggregates.group_counters(org_id)}


def _warnings(caplog) -> list:
    return [r for r in caplog.records if r.getMessage() == "live counters corrected by the recount"]


def test_a_wrong_counter_is_corrected_in_its_organizations_minute_and_the_operator_is_warned(world, caplog):
    # Given the demo counted right, then one group's counters broken by hand (2 stations too many, 1 charging)
    store = world.store
    aggregates.recount("ACME")
    right = _counters(store, "ACME")
    group, counts = next((g, c) for g, c in sorted(right.items()) if c.get("stations"))
    broken = {**counts, "stations": counts["stations"] + 2, "charging": 1}
    assert store.aggregates.correct_counters("ACME", group, counts, broken)
    minute = _minute_of(store, "ACME")
    # When a tick of another minute runs, Then ACME is not looked at
    with caplog.at_level(logging.INFO, logger="csms"):
        assert recount.run(_tick((minute + 1) % 60)) == []
    assert _counters(store, "ACME")[group] == broken and _warnings(caplog) == []
    # When the tick of ACME's minute runs
    with caplog.at_level(logging.INFO, logger="csms"):
        [result] = recount.run(_tick(minute))
    # Then the counters are right again, and one warning names the organization and each difference
    assert _counters(store, "ACME") == right
    assert result.corrected == {group: {"stations": (counts["stations"] + 2, counts["stations"]), "charging": (1, 0)}}
    [warning] = _warnings(caplog)
    assert warning.levelname == "WARNING" and warning.org_id == "ACME"
    assert warning.differences == {group: {"stations": f"{counts['stations'] + 2} -> {counts['stations']}", "charging": "1 -> 0"}}
    # And a second pass finds nothing to correct, and says nothing
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="csms"):
        [again] = recount.run(_tick(minute))
    assert (again.corrected, again.created, _warnings(caplog)) == ({}, 0, [])


def test_one_organization_failing_does_not_stop_the_rest_of_its_slice(world, caplog, monkeypatch):
    # Given more organizations, some in ACME's slice, the first of which cannot be recounted
    store = world.store
    for i in range(200):
        store.stations.add_organization(Organization(f"ORG{i}"))
    minute = _minute_of(store, "ACME")
    others = [org for org in store.stations.organization_slice(minute, recount.SLICES) if org != "ACME"]
    assert len(others) >= 2
    real = aggregates.recounted

    def recounted(org_id):
        if org_id == others[0]:
            raise RuntimeError("throttled")
        return real(org_id)

    monkeypatch.setattr(aggregates, "recounted", recounted)
    # When the slice's tick runs
    with caplog.at_level(logging.INFO, logger="csms"):
        done = recount.run(_tick(minute))
    # Then the others were recounted and the failure logged with its organization
    assert sorted(r.org_id for r in done) == sorted(["ACME", *others[1:]])
    [failed] = [r for r in caplog.records if r.getMessage() == "recount failed"]
    assert failed.org_id == others[0]
