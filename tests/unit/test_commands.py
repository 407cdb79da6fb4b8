"""Remote commands on the in-memory store: send, the states a call goes through, wait, history, the queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.domain import commands, connections, identity
from chalicelib.domain.errors import NotFound
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using
from chalicelib.ports.stations import Station

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def memory(monkeypatch):
    moments = iter(NOW + timedelta(milliseconds=i) for i in range(10_000))
    monkeypatch.setattr(clock, "now", lambda: next(moments))
    with using(memory_store()) as store:
        store.stations.add(Station("ACME", "CP1", group_id="g1", group_path="/g1/"))
        connections._CACHE.clear()
        yield store
        connections._CACHE.clear()


@pytest.fixture
def online(memory):
    assert connections.connected(identity.StationIdentity("ACME", "CP1"), "c1", NOW)
    return memory


def sent_frames(store) -> list[list]:
    return [json.loads(text) for _, text in store.chargers.sent]


def test_a_command_is_recorded_pending_then_sent_as_a_call_with_its_id(online):
    command = commands.send("ACME", "CP1", "Reset", {"type": "Soft"}, operator_id="op1", timeout_s=30)
    assert command.state == "Pending" and command.operator_id == "op1"
    assert command.deadline_at == command.created_at + timedelta(seconds=30)
    assert online.chargers.sent == [("c1", f'[2,"{command.command_id}","Reset",{{"type":"Soft"}}]')]
    assert commands.get("ACME", "CP1", command.command_id) == command
    assert len(command.command_id) <= 36


def test_ids_are_unique_and_sort_by_creation_time(online):
    made = [commands.send("ACME", "CP1", "ClearCache", {}).command_id for _ in range(20)]
    assert len(set(made)) == 20 and sorted(made) == made


@pytest.mark.parametrize(
    ("action", "payload", "reason"),
    [
        ("Reset", {"type": "Gentle"}, "Reset payload: type: 'Gentle' is not one of ['Hard', 'Soft']"),
        ("Reset", {}, "Reset payload: payload: 'type' is a required property"),
        ("UnlockConnector", {"connectorId": "1"}, "UnlockConnector payload: connectorId: '1' is not of type 'integer'"),
        ("BootNotification", {}, "'BootNotification' is not an OCPP 1.6 command a central system sends"),
        ("ClearCache", [], "ClearCache payload must be a JSON object"),
    ],
)
def test_an_invalid_command_is_refused_with_the_reason_and_nothing_is_recorded(online, action, payload, reason):
    with pytest.raises(commands.InvalidCommand) as refused:
        commands.send("ACME", "CP1", action, payload)
    assert refused.value.message == reason
    assert online.chargers.sent == [] and commands.history("ACME", "CP1").items == []


def test_a_station_that_is_not_connected_fails_at_once_as_offline(memory):
    command = commands.send("ACME", "CP1", "ClearCache", {})
    assert (command.state, command.error) == ("Offline", "Charging station is not connected.")
    assert command.completed_at is not None and memory.chargers.sent == []
    assert commands.get("ACME", "CP1", command.command_id).state == "Offline"


def test_a_closed_socket_makes_the_command_offline_and_the_station_disconnected(online):
    online.chargers.gone("c1")
    command = commands.send("ACME", "CP1", "ClearCache", {})
    assert command.state == "Offline"
    assert online.connections.current("ACME", "CP1") is None
    assert commands.overdue(NOW + timedelta(hours=1)) == []


def test_a_queued_command_waits_for_the_next_boot_and_is_sent_exactly_once(memory):
    command = commands.send("ACME", "CP1", "ChangeAvailability", {"connectorId": 0, "type": "Inoperative"}, queue=True)
    assert command.state == "Queued" and command.deadline_at is None
    memory.connections.take_over("ACME", "CP1", "c2", NOW)
    sent = commands.send_queued("ACME", "CP1", "c2")
    assert [(c.command_id, c.state) for c in sent] == [(command.command_id, "Pending")]
    # A second boot (or a retried one) sends nothing again.
    assert commands.send_queued("ACME", "CP1", "c2") == []
    assert [frame[1] for frame in sent_frames(memory)] == [command.command_id]


def test_a_pending_station_gets_its_queued_calls_but_remote_starts_and_stops_wait_for_acceptance(memory):
    start = commands.send("ACME", "CP1", "RemoteStartTransaction", {"idTag": "TAG"}, queue=True)
    clear = commands.send("ACME", "CP1", "ClearCache", {}, queue=True)
    memory.connections.take_over("ACME", "CP1", "c2", NOW)
    assert [c.command_id for c in commands.send_queued("ACME", "CP1", "c2", accepted=False)] == [clear.command_id]
    assert commands.get("ACME", "CP1", start.command_id).state == "Queued"
    assert [c.command_id for c in commands.send_queued("ACME", "CP1", "c2", accepted=True)] == [start.command_id]


def test_a_queued_command_whose_socket_closed_at_once_goes_back_into_the_queue(memory):
    command = commands.send("ACME", "CP1", "ClearCache", {}, queue=True)
    memory.connections.take_over("ACME", "CP1", "c2", NOW)
    memory.chargers.gone("c2")
    assert [c.state for c in commands.send_queued("ACME", "CP1", "c2")] == ["Queued"]
    assert commands.get("ACME", "CP1", command.command_id).state == "Queued"


def test_answers_complete_the_call_once(online):
    command = commands.send("ACME", "CP1", "UnlockConnector", {"connectorId": 1})
    done = commands.answered(command, {"status": "Unlocked"})
    assert (done.state, done.response) == ("Answered", {"status": "Unlocked"}) and commands.succeeded(done)
    assert commands.failed(command, "late") is None
    assert commands.get("ACME", "CP1", command.command_id) == done


@pytest.mark.parametrize(
    ("response", "success"),
    [({"status": "Accepted"}, True), ({"status": "Rejected"}, False), ({"status": "Scheduled"}, True),
     ({"status": "NotSupported"}, False), ({"listVersion": 3}, True)],
)
def test_succeeded_means_answered_with_an_accepting_status(online, response, success):
    command = commands.send("ACME", "CP1", "ClearCache", {})
    assert commands.succeeded(command) is False
    assert commands.succeeded(commands.answered(command, response)) is success


def test_the_time_out_closes_only_calls_past_their_deadline(online):
    late = commands.send("ACME", "CP1", "ClearCache", {}, timeout_s=5)
    commands.send("ACME", "CP1", "ClearCache", {}, timeout_s=120)
    due = commands.overdue(NOW + timedelta(seconds=30))
    assert [d.command_id for d in due] == [late.command_id]
    closed = commands.time_out(due[0])
    assert closed.state == "TimedOut" and closed.error == "No answer from the charging station before the deadline."
    assert commands.time_out(due[0]) is None and commands.answered(late, {"status": "Accepted"}) is None
    assert commands.overdue(NOW + timedelta(seconds=30)) == []


def test_wait_polls_until_the_call_is_answered_or_time_runs_out(online, monkeypatch):
    command = commands.send("ACME", "CP1", "ClearCache", {})
    elapsed = [0.0]
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        elapsed[0] += seconds
        if len(sleeps) == 3:  # the charger answers (in another invocation) while we wait
            commands.answered(command, {"status": "Accepted"})

    monkeypatch.setattr(commands, "_sleep", sleep)
    monkeypatch.setattr(commands, "_monotonic", lambda: elapsed[0])
    assert commands.wait("ACME", "CP1", command.command_id, 5).state == "Answered"
    assert sleeps == [0.02, 0.03, 0.045]
    other = commands.send("ACME", "CP1", "ClearCache", {})
    assert commands.wait("ACME", "CP1", other.command_id, 1).state == "Pending"
    assert elapsed[0] == pytest.approx(0.095 + 1)


def test_history_is_newest_first_and_unknown_ids_are_not_found(online):
    made = [commands.send("ACME", "CP1", "ClearCache", {}).command_id for _ in range(3)]
    first = commands.history("ACME", "CP1", limit=2)
    assert [c.command_id for c in first.items] == made[::-1][:2]
    assert [c.command_id for c in commands.history("ACME", "CP1", 2, first.cursor).items] == made[:1]
    with pytest.raises(NotFound) as missing:
        commands.get("ACME", "CP1", "nope")
    assert missing.value.message == "Command not found."


def test_the_minute_job_closes_every_call_past_its_deadline(online, caplog):
    import logging

    from chalicelib.jobs import command_timeouts
    from chalicelib.jobs.runner import Tick

    late = [commands.send("ACME", "CP1", "ClearCache", {}, timeout_s=10) for _ in range(3)]
    commands.send("ACME", "CP1", "ClearCache", {}, timeout_s=300)
    later = NOW + timedelta(seconds=60)
    with caplog.at_level(logging.INFO, logger="csms"):
        assert command_timeouts.run(Tick(later, later)) == 3
    assert {commands.get("ACME", "CP1", c.command_id).state for c in late} == {"TimedOut"}
    assert [getattr(r, "count", None) for r in caplog.records if r.getMessage() == "commands timed out"] == [3]
    assert command_timeouts.run(Tick(later, later)) == 0


def test_charging_limits_with_one_decimal_are_valid_as_the_ocpp_library_reads_them(online):
    """21.4 is 21.399999999999998 as a float: the schema's multipleOf 0.1 holds only for the decimal."""
    profile = {"connectorId": 1, "csChargingProfiles": {
        "chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 21.4}]}}}
    assert commands.send("ACME", "CP1", "SetChargingProfile", profile).state == "Pending"
    with pytest.raises(commands.InvalidCommand):
        commands.send("ACME", "CP1", "SetChargingProfile", {**profile, "connectorId": "1"})
