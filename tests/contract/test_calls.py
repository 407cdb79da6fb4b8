"""The calls port on both stores: records, conditional state changes, history, the queue and the due index."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.calls import ANSWERED, FAILED, PENDING, QUEUED, TIMED_OUT, Command, DueCall
from chalicelib.ports.errors import AlreadyExists
from chalicelib.ports.paging import InvalidCursor

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def pending(command_id: str, station_id: str = "CP1", *, deadline_s: int = 60, at: datetime = NOW) -> Command:
    return Command(
        "ACME", station_id, command_id, "Reset", {"type": "Soft"}, PENDING, at,
        deadline_at=at + timedelta(seconds=deadline_s), operator_id="op1",
    )


def test_a_call_is_recorded_and_read_back_as_it_was(store):
    command = pending("20260301120000000000-a")
    store.calls.add(command)
    assert store.calls.get("ACME", "CP1", command.command_id) == command
    assert store.calls.get("ACME", "CP2", command.command_id) is None
    assert store.calls.get("OTHER", "CP1", command.command_id) is None


def test_a_taken_id_is_refused(store):
    store.calls.add(pending("id-1"))
    with pytest.raises(AlreadyExists):
        store.calls.add(replace(pending("id-1"), action="ClearCache", payload={}))
    assert store.calls.get("ACME", "CP1", "id-1").action == "Reset"


def test_a_change_happens_only_from_an_expected_state(store):
    store.calls.add(pending("id-1"))
    answered = store.calls.change(
        "ACME", "CP1", "id-1", (PENDING,), state=ANSWERED, response={"status": "Accepted"}, completed_at=NOW
    )
    assert answered.state == ANSWERED and answered.response == {"status": "Accepted"}
    assert answered.completed_at == NOW and answered.payload == {"type": "Soft"}
    # A late time-out (or a second answer) finds it closed and changes nothing.
    assert store.calls.change("ACME", "CP1", "id-1", (PENDING,), state=TIMED_OUT, completed_at=NOW) is None
    assert store.calls.get("ACME", "CP1", "id-1") == answered
    assert store.calls.change("ACME", "CP1", "missing", (PENDING,), state=FAILED) is None


def test_only_known_fields_change(store):
    store.calls.add(pending("id-1"))
    with pytest.raises(ValueError):
        store.calls.change("ACME", "CP1", "id-1", (PENDING,), action="Other")


def test_history_is_newest_first_in_pages_of_one_station(store):
    for minute in range(5):
        store.calls.add(pending(f"2026030112{minute:02d}00000000-x", at=NOW + timedelta(minutes=minute)))
    store.calls.add(pending("20260301120300000000-y", station_id="CP2"))
    first = store.calls.history("ACME", "CP1", 3)
    assert [c.command_id[10:12] for c in first.items] == ["04", "03", "02"]
    second = store.calls.history("ACME", "CP1", 3, first.cursor)
    assert [c.command_id[10:12] for c in second.items] == ["01", "00"]
    assert second.cursor is None
    with pytest.raises(InvalidCursor):
        store.calls.history("ACME", "CP2", 3, first.cursor)


def test_only_pending_calls_past_their_deadline_are_due_earliest_first(store):
    store.calls.add(pending("late-2", deadline_s=50))
    store.calls.add(pending("late-1", station_id="CP2", deadline_s=30))
    store.calls.add(pending("not-yet", deadline_s=600))
    store.calls.add(pending("answered", deadline_s=10))
    store.calls.change("ACME", "CP1", "answered", (PENDING,), state=ANSWERED, response={}, completed_at=NOW)
    due = store.calls.due(NOW + timedelta(seconds=120))
    assert due == [
        DueCall("ACME", "CP2", "late-1", "Reset", NOW + timedelta(seconds=30)),
        DueCall("ACME", "CP1", "late-2", "Reset", NOW + timedelta(seconds=50)),
    ]
    assert store.calls.due(NOW + timedelta(seconds=40), limit=5) == due[:1]


def test_the_queue_holds_queued_calls_until_they_leave_that_state(store):
    for name in ("q-1", "q-2"):
        store.calls.add(replace(pending(name), state=QUEUED, deadline_at=None))
    store.calls.add(pending("p-1"))
    assert [c.command_id for c in store.calls.queued("ACME", "CP1")] == ["q-1", "q-2"]
    assert store.calls.due(NOW + timedelta(days=1)) == [DueCall("ACME", "CP1", "p-1", "Reset", NOW + timedelta(seconds=60))]
    claimed = store.calls.change("ACME", "CP1", "q-1", (QUEUED,), state=PENDING, deadline_at=NOW + timedelta(seconds=5))
    assert claimed.state == PENDING
    # Claimed once: a second claim (another invocation's boot) gets nothing.
    assert store.calls.change("ACME", "CP1", "q-1", (QUEUED,), state=PENDING, deadline_at=NOW) is None
    assert [c.command_id for c in store.calls.queued("ACME", "CP1")] == ["q-2"]
    assert [d.command_id for d in store.calls.due(NOW + timedelta(days=1))] == ["q-1", "p-1"]
    assert store.calls.queued("ACME", "CP2") == []


def test_a_pending_call_goes_back_into_the_queue(store):
    store.calls.add(pending("p-1"))
    queued = store.calls.change("ACME", "CP1", "p-1", (PENDING,), state=QUEUED, deadline_at=None)
    assert queued.state == QUEUED and queued.deadline_at is None
    assert [c.command_id for c in store.calls.queued("ACME", "CP1")] == ["p-1"]
    assert store.calls.due(NOW + timedelta(days=1)) == []


def test_the_pending_calls_since_a_moment_are_one_query_of_the_recent_ones(store):
    # Given calls of CP1 created at 11:50 (pending), 11:58 (pending, answered, queued) and 12:00 (pending), one of CP2
    def at(minute: int, suffix: str) -> str:
        return f"2026030111{minute:02d}00000000-{suffix}" if minute < 60 else f"20260301120000000000-{suffix}"

    store.calls.add(pending(at(50, "old"), at=NOW - timedelta(minutes=10)))
    store.calls.add(pending(at(58, "a"), at=NOW - timedelta(minutes=2)))
    store.calls.add(replace(pending(at(58, "b"), at=NOW - timedelta(minutes=2)), state=ANSWERED, response={}))
    store.calls.add(replace(pending(at(58, "c"), at=NOW - timedelta(minutes=2)), state=QUEUED, deadline_at=None))
    store.calls.add(pending(at(60, "new")))
    store.calls.add(pending(at(58, "other"), station_id="CP2", at=NOW - timedelta(minutes=2)))
    # Then since 11:55 the Pending ones of CP1 come, oldest first; the queue marker is not a call
    found = store.calls.pending_since("ACME", "CP1", NOW - timedelta(minutes=5))
    assert [c.command_id for c in found] == [at(58, "a"), at(60, "new")]
    assert found[0] == pending(at(58, "a"), at=NOW - timedelta(minutes=2))
    assert [c.command_id for c in store.calls.pending_since("ACME", "CP1", NOW - timedelta(hours=1))][0] == at(50, "old")
    assert store.calls.pending_since("ACME", "CP3", NOW - timedelta(hours=1)) == []
