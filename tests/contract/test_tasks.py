"""The tasks port on both stores: records, filters and paging, the sharded due index, claims, advance/retry, runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.calls import OFFLINE, Command
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound
from chalicelib.ports.paging import InvalidCursor
from chalicelib.ports.station_settings import Deferral, DeferredLimit
from chalicelib.ports.tasks import (
    DEFERRED,
    DONE,
    FAILED,
    SENT,
    USER_ACTIVATION,
    USER_GROUP_ACTIVATION,
    Claim,
    LastRun,
    Retry,
    Run,
    Schedule,
    Settled,
    Task,
    new_run_id,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAILY = Schedule("daily", 1, 0)


def task(task_id: str, org_id: str = "ACME", *, name: str = "Night limit", next_in: int | None = 10, active: bool = True,
         type: str = "max_current", schedule: Schedule = DAILY) -> Task:
    key = {"station_id": "CP1"} if type == "max_current" else {"charging_user_id": "u1"}
    value = {"amperes": 6} if type == "max_current" else {"active": True}
    return Task(org_id, task_id, name, type, key, value, schedule, active, NOW, NOW,
                next_run_at=None if next_in is None else NOW + timedelta(minutes=next_in))


def run(task_id: str, minute: int, outcome: str = DONE, org_id: str = "ACME") -> Run:
    started = NOW + timedelta(minutes=minute)
    return Run(org_id, task_id, new_run_id(started), NOW, 0, started, outcome, detail=f"run {minute}")


def test_a_task_is_saved_and_read_back_as_it_was(store):
    weekly = Schedule("weekly", 23, 59, ("Mon", "Fri"), None, "organization")
    saved = replace(task("t1", type=USER_ACTIVATION, schedule=weekly), version=3)
    store.tasks.add(saved)
    assert store.tasks.get("ACME", "t1") == saved
    assert store.tasks.get("OTHER", "t1") is None
    with pytest.raises(AlreadyExists):
        store.tasks.add(replace(saved, name="Other"))
    assert store.tasks.get("ACME", "t1").name == "Night limit"


def test_the_list_filters_by_type_and_name_in_pages_of_one_organization(store):
    for i in range(5):
        store.tasks.add(task(f"t{i}", name=f"Night limit {i}" if i % 2 else f"Weekend {i}"))
    store.tasks.add(task("t9", type=USER_GROUP_ACTIVATION, name="NIGHT group"))
    store.tasks.add(task("t1", org_id="OTHER"))
    first = store.tasks.list("ACME", 2)
    assert [t.task_id for t in first.items] == ["t0", "t1"]
    rest = store.tasks.list("ACME", 10, first.cursor)
    assert [t.task_id for t in rest.items] == ["t2", "t3", "t4", "t9"] and rest.cursor is None
    assert [t.task_id for t in store.tasks.list("ACME", 10, name="night").items] == ["t1", "t3", "t9"]
    assert [t.task_id for t in store.tasks.list("ACME", 10, type="max_current", name="NIGHT").items] == ["t1", "t3"]
    assert store.tasks.list("ACME", 10, type="user_activation").items == []
    odd = store.tasks.list("ACME", 1, keep=lambda t: t.task_id in ("t1", "t3"))
    assert [t.task_id for t in odd.items] == ["t1"]
    assert [t.task_id for t in store.tasks.list("ACME", 5, odd.cursor, keep=lambda t: t.task_id in ("t1", "t3")).items] == ["t3"]
    with pytest.raises(InvalidCursor):
        store.tasks.list("OTHER", 2, first.cursor)


def test_a_save_needs_the_revision_it_read_and_keeps_the_runners_last_run(store):
    store.tasks.add(task("t1"))
    store.tasks.add_run(run("t1", 1, FAILED))
    read = store.tasks.get("ACME", "t1")
    saved = store.tasks.save(replace(read, name="Renamed", last_run=None))
    assert saved.rev == 2 and saved.name == "Renamed" and saved.last_run.outcome == FAILED
    assert store.tasks.get("ACME", "t1") == saved
    with pytest.raises(ConditionFailed):
        store.tasks.save(replace(read, name="Stale"))
    with pytest.raises(ConditionFailed):
        store.tasks.save(task("missing"))
    assert store.tasks.get("ACME", "t1").name == "Renamed"


def test_only_active_tasks_with_a_next_run_are_due_earliest_first_across_organizations(store):
    store.tasks.add(task("late-2", next_in=5))
    store.tasks.add(task("late-1", org_id="OTHER", next_in=3))
    store.tasks.add(task("late-3", next_in=8))
    store.tasks.add(task("not-yet", next_in=30))
    store.tasks.add(task("inactive", next_in=1, active=False))
    store.tasks.add(task("never", next_in=None))
    due = store.tasks.due(NOW + timedelta(minutes=10))
    assert [(t.org_id, t.task_id) for t in due] == [("OTHER", "late-1"), ("ACME", "late-2"), ("ACME", "late-3")]
    assert [t.task_id for t in store.tasks.due(NOW + timedelta(minutes=10), limit=2)] == ["late-1", "late-2"]
    # the due time itself counts as due (a task at 01:00 runs in the tick of 01:00)
    assert [t.task_id for t in store.tasks.due(NOW + timedelta(minutes=3))] == ["late-1"]


def test_deactivating_or_deleting_takes_a_task_out_of_the_due_index(store):
    store.tasks.add(task("t1", next_in=1))
    store.tasks.add(task("t2", next_in=2))
    later = NOW + timedelta(minutes=5)
    store.tasks.save(replace(store.tasks.get("ACME", "t1"), active=False, next_run_at=None))
    store.tasks.delete("ACME", "t2")
    assert store.tasks.due(later) == []
    assert store.tasks.get("ACME", "t2") is None
    with pytest.raises(NotFound):
        store.tasks.delete("ACME", "t2")
    store.tasks.save(replace(store.tasks.get("ACME", "t1"), active=True, next_run_at=NOW + timedelta(minutes=4)))
    assert [t.task_id for t in store.tasks.due(later)] == ["t1"]


def test_an_occurrence_is_claimed_once(store):
    store.tasks.add(task("t1"))
    occurrence = NOW + timedelta(minutes=10)
    assert store.tasks.claim("ACME", "t1", occurrence, 0, NOW) is True
    assert store.tasks.claim("ACME", "t1", occurrence, 0, NOW + timedelta(seconds=5)) is False
    # a retry of the occurrence, another occurrence, another task: each its own claim
    assert store.tasks.claim("ACME", "t1", occurrence, 1, NOW) is True
    assert store.tasks.claim("ACME", "t1", occurrence + timedelta(days=1), 0, NOW) is True
    assert store.tasks.claim("OTHER", "t1", occurrence, 0, NOW) is True


def test_advance_and_retry_move_the_due_time_only_from_the_one_that_was_seen(store):
    store.tasks.add(task("t1", next_in=1))
    seen = store.tasks.due(NOW + timedelta(minutes=1))[0]
    retried = store.tasks.retry("ACME", "t1", seen.due_at, NOW + timedelta(minutes=3), 1)
    assert retried.retry_at == NOW + timedelta(minutes=3) and retried.attempts == 1
    assert retried.next_run_at == seen.next_run_at and retried.rev == seen.rev + 1
    assert store.tasks.due(NOW + timedelta(minutes=2)) == []
    # a second tick that read the old due time changes nothing
    assert store.tasks.advance("ACME", "t1", seen.due_at, NOW + timedelta(days=1)) is None
    [again] = store.tasks.due(NOW + timedelta(minutes=3))
    advanced = store.tasks.advance("ACME", "t1", again.due_at, NOW + timedelta(days=1))
    assert advanced.next_run_at == NOW + timedelta(days=1) and advanced.retry_at is None and advanced.attempts == 0
    assert store.tasks.get("ACME", "t1") == advanced
    assert store.tasks.due(NOW + timedelta(hours=23)) == []
    assert [t.task_id for t in store.tasks.due(NOW + timedelta(days=1))] == ["t1"]
    assert store.tasks.advance("ACME", "missing", NOW, NOW) is None


def test_an_edit_wins_over_a_tick_that_read_the_task_before(store):
    store.tasks.add(task("t1", next_in=1))
    seen = store.tasks.due(NOW + timedelta(minutes=1))[0]
    store.tasks.save(replace(seen, next_run_at=NOW + timedelta(hours=5)))
    assert store.tasks.advance("ACME", "t1", seen.due_at, NOW + timedelta(days=1)) is None
    assert store.tasks.get("ACME", "t1").next_run_at == NOW + timedelta(hours=5)
    # deactivated: the tick cannot put it back in the index
    store.tasks.save(replace(store.tasks.get("ACME", "t1"), active=False, next_run_at=None))
    assert store.tasks.retry("ACME", "t1", NOW + timedelta(hours=5), NOW + timedelta(hours=6), 1) is None
    assert store.tasks.due(NOW + timedelta(days=2)) == []


def test_runs_are_newest_first_in_pages_and_the_latest_is_the_tasks_last_run(store):
    store.tasks.add(task("t1"))
    store.tasks.add(task("t2"))
    recorded = [run("t1", minute) for minute in range(4)]
    for r in recorded:
        store.tasks.add_run(r)
    store.tasks.add_run(run("t2", 9, FAILED))
    first = store.tasks.runs("ACME", "t1", 3)
    assert [r.detail for r in first.items] == ["run 3", "run 2", "run 1"]
    second = store.tasks.runs("ACME", "t1", 3, first.cursor)
    assert second.items == [recorded[0]] and second.cursor is None
    assert store.tasks.get("ACME", "t1").last_run == LastRun.of(recorded[3])
    assert store.tasks.get("ACME", "t2").failing and not store.tasks.get("ACME", "t1").failing
    with pytest.raises(InvalidCursor):
        store.tasks.runs("ACME", "t2", 3, first.cursor)
    with pytest.raises(AlreadyExists):
        store.tasks.add_run(replace(recorded[0], detail="twice"))
    with pytest.raises(NotFound):
        store.tasks.add_run(run("missing", 1))


def test_a_sent_run_is_completed_later_and_its_summary_follows_only_while_it_is_the_last(store):
    store.tasks.add(task("t1"))
    sent = replace(run("t1", 1, SENT), command_id="cmd-1", extra={"amperes": 6})
    store.tasks.add_run(sent)
    done = replace(sent, outcome=DONE, detail="Accepted", finished_at=NOW + timedelta(minutes=2))
    store.tasks.update_run(done)
    assert store.tasks.runs("ACME", "t1", 5).items == [done]
    assert store.tasks.get("ACME", "t1").last_run == LastRun(done.run_id, NOW, NOW + timedelta(minutes=2), DONE, "Accepted")
    newer = run("t1", 5)
    store.tasks.add_run(newer)
    store.tasks.update_run(replace(done, outcome=FAILED, detail="late"))
    assert store.tasks.get("ACME", "t1").last_run == LastRun.of(newer)
    with pytest.raises(NotFound):
        store.tasks.update_run(run("t1", 30))


def test_deleting_a_task_deletes_its_history_and_claims(store):
    store.tasks.add(task("t1", next_in=1))
    store.tasks.add_run(run("t1", 1))
    store.tasks.claim("ACME", "t1", NOW, 0, NOW)
    store.tasks.delete("ACME", "t1")
    assert store.tasks.runs("ACME", "t1", 5).items == []
    # a task made again under the same id starts clean
    store.tasks.add(task("t1", next_in=1))
    assert store.tasks.claim("ACME", "t1", NOW, 0, NOW) is True
    assert store.tasks.get("ACME", "t1").last_run is None


# --- the minute job's batches (ADR 0026) ----------------------------------------------------------------------
def claim_of(seen: Task, next_in: timedelta = timedelta(days=1), attempt: int = 0) -> Claim:
    return Claim(seen.org_id, seen.task_id, seen.due_at, attempt, NOW, seen.due_at, seen.due_at + next_in)


def test_a_batch_of_claims_moves_every_task_on_and_a_lost_one_costs_no_other(store):
    for task_id in ("t1", "t2", "t3", "t4"):
        store.tasks.add(task(task_id, next_in=1))
    seen = sorted(store.tasks.due(NOW + timedelta(minutes=1)), key=lambda t: t.task_id)
    assert store.tasks.claim("ACME", "t2", seen[1].due_at, 0, NOW)  # another tick took t2's occurrence
    store.tasks.save(replace(store.tasks.get("ACME", "t3"), next_run_at=NOW + timedelta(hours=5)))  # an edit
    assert store.tasks.claim_all([claim_of(t) for t in seen]) == [True, False, False, True]
    assert [t.task_id for t in store.tasks.due(NOW + timedelta(hours=6))] == ["t2", "t3"]
    assert store.tasks.get("ACME", "t1").next_run_at == NOW + timedelta(days=1, minutes=1)
    assert store.tasks.get("ACME", "t3").next_run_at == NOW + timedelta(hours=5)  # the edit stands
    # the same claims again (an overlapping tick that read the same due index): none is taken
    assert store.tasks.claim_all([claim_of(t) for t in seen]) == [False] * 4
    assert store.tasks.claim("ACME", "t1", seen[0].due_at, 0, NOW) is False  # the batch's claim item is there


def test_a_batch_of_retries_and_of_runs(store):
    store.tasks.add(task("t1", next_in=1))
    store.tasks.add(task("t2", next_in=1))
    seen = store.tasks.due(NOW + timedelta(minutes=1))
    assert store.tasks.claim_all([claim_of(t) for t in seen]) == [True, True]
    store.tasks.delete("ACME", "t2")
    runs = [run("t1", 1, FAILED), run("t2", 1)]
    assert store.tasks.add_runs(runs) == [True, False]
    assert store.tasks.runs("ACME", "t1", 5).items == [runs[0]] and store.tasks.runs("ACME", "t2", 5).items == []
    moved = NOW + timedelta(days=1, minutes=1)
    retries = [Retry("ACME", "t1", moved, NOW + timedelta(minutes=2), 1), Retry("ACME", "t2", moved, NOW, 1)]
    assert store.tasks.retry_all(retries) == [True, False]
    stored = store.tasks.get("ACME", "t1")
    assert (stored.retry_at, stored.attempts, stored.next_run_at, stored.failing) == (NOW + timedelta(minutes=2), 1, moved, True)


def test_a_settled_run_is_claimed_recorded_and_written_with_its_effect_or_not_at_all(store):
    for task_id in ("t1", "t2", "t3"):
        store.tasks.add(task(task_id, next_in=1))
    store.station_settings.defer_max_current("ACME", "CP2", 8, NOW, "t0")
    held = store.station_settings.deferred_limits("ACME", ["CP1", "CP2", "CP3"])
    assert list(held) == ["CP2"] and held["CP2"].task_id == "t0"
    seen = sorted(store.tasks.due(NOW + timedelta(minutes=1)), key=lambda t: t.task_id)
    units = []
    for number, (found, station_id) in enumerate(zip(seen, ("CP1", "CP2", "CP3"), strict=True)):
        command = Command("ACME", station_id, f"cmd-{number}", "ChangeConfiguration", {"key": "K", "value": "6"},
                          OFFLINE, NOW, error="Charging station is not connected.", completed_at=NOW)
        deferral = Deferral("ACME", station_id, 6, NOW, found.task_id, held.get(station_id))
        units.append(Settled(claim_of(found), replace(run(found.task_id, 1, DEFERRED)), None, command, deferral))
    units[2] = replace(units[2], retry=(NOW + timedelta(minutes=2), 1), run=replace(units[2].run, outcome=FAILED))
    store.station_settings.defer_max_current("ACME", "CP3", 10, NOW, "t9")  # changed since it was read: no write
    assert store.tasks.run_settled(units) == [True, True, False]
    for unit in units[:2]:
        stored = store.tasks.get("ACME", unit.run.task_id)
        assert (stored.next_run_at, stored.retry_at, stored.last_run) == (unit.claim.next_run_at, None, LastRun.of(unit.run))
        assert store.tasks.runs("ACME", unit.run.task_id, 5).items == [unit.run]
        assert store.calls.get("ACME", unit.command.station_id, unit.command.command_id) == unit.command
    assert store.station_settings.take_max_current("ACME", "CP2") == DeferredLimit(6, NOW, "t2")
    untouched = store.tasks.get("ACME", "t3")
    assert (untouched.due_at, untouched.last_run, store.tasks.runs("ACME", "t3", 5).items) == (seen[2].due_at, None, [])
    assert store.calls.get("ACME", "CP3", "cmd-2") is None
    assert store.station_settings.take_max_current("ACME", "CP3").task_id == "t9"
    assert store.tasks.claim("ACME", "t3", seen[2].due_at, 0, NOW) is True  # its claim was not taken either
    # a settled run with a retry moves the task to the retry
    units[2] = replace(units[2], deferral=replace(units[2].deferral, seen=None), claim=replace(units[2].claim, attempt=1))
    assert store.tasks.run_settled([units[2]]) == [True]
    assert store.tasks.get("ACME", "t3").due_at == NOW + timedelta(minutes=2)
