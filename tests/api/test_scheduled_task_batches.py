"""The minute job's batches on DynamoDB (moto; ADR 0026): a batch mixing task types and online and offline
stations, overlapping ticks, a claim lost inside a batch, a deferred limit taken between the batch's read and
its write, and a BatchGetItem that leaves keys unprocessed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta

import pytest
from pynamodb.connection.base import Connection

from chalicelib import clock
from chalicelib.domain import schedules, task_runner
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import MAX_CURRENT, USER_ACTIVATION, Schedule, Task
from tests.api.conftest import world  # noqa: F401 (fixture)
from tests.api.test_firmware_commands import _online

ORG = "ACME"
OFFLINE = ("EVI00000013", "EVI00000014", "EVI00000016")
DEFERRED_TEXT = "Station limited to {} A: the charging station is offline; the limit is applied when it reconnects."


def _task(task_id: str, kind: str, key: dict, value: dict) -> Task:
    now = clock.now()
    task = Task(ORG, task_id, task_id, kind, key, value, Schedule("daily", 1, 0), True, now, now,
                next_run_at=now - timedelta(minutes=1))
    store().tasks.add(task)
    return task


def _limit(task_id: str, station_id: str, amperes: float = 6) -> Task:
    return _task(task_id, MAX_CURRENT, {"station_id": station_id}, {"amperes": amperes})


def _runs(task_id: str) -> list[tuple]:
    return [(r.attempt, r.outcome, r.detail) for r in store().tasks.runs(ORG, task_id, 10).items]


@pytest.fixture
def requests(monkeypatch) -> Counter:
    """DynamoDB operations made, by name (counted where PynamoDB dispatches them)."""
    made: Counter = Counter()
    real = Connection.dispatch

    def dispatch(self, operation_name, operation_kwargs):
        made[operation_name] += 1
        return real(self, operation_name, operation_kwargs)

    monkeypatch.setattr(Connection, "dispatch", dispatch)
    return made


def test_a_batch_mixes_task_types_and_online_and_offline_stations(world, requests):  # noqa: F811
    online = _online("EVI00000015")
    for number, station_id in enumerate(OFFLINE):
        _limit(f"off-{number}", station_id, 6 + number)
    _limit("on", "EVI00000015", 16)
    _limit("nowhere", "NO-SUCH-STATION")
    _task("gone", USER_ACTIVATION, {"charging_user_id": "nobody@duckburg.com"}, {"active": False})
    requests.clear()
    now = clock.now()
    steps = task_runner.run_due(now)
    made = dict(requests)
    outcomes = {s.task_id: s.outcome for s in steps}
    assert outcomes == {"off-0": "Deferred", "off-1": "Deferred", "off-2": "Deferred", "on": "Sent",
                        "nowhere": "Failed", "gone": "Failed"}
    for number, station_id in enumerate(OFFLINE):
        assert _runs(f"off-{number}") == [(0, "Deferred", DEFERRED_TEXT.format(6 + number))]
        assert store().station_settings.deferred_limits(ORG, [station_id])[station_id].task_id == f"off-{number}"
        [command] = store().calls.history(ORG, station_id, 5).items  # its call, recorded as never sent
        assert (command.action, command.state, command.error) == ("SetChargingProfile", "Offline",
                                                                   "Charging station is not connected.")
    [call] = online.calls()  # the connected station got its limit
    assert call[2] == "SetChargingProfile" and call[3]["csChargingProfiles"]["chargingSchedule"][
        "chargingSchedulePeriod"] == [{"startPeriod": 0, "limit": 16}]
    assert _runs("on")[0][:2] == (0, "Sent")
    assert _runs("nowhere") == [(0, "Failed", "Charging station does not exist.")]
    assert _runs("gone") == [(0, "Failed", "Charging user not found.")]
    assert store().tasks.get(ORG, "nowhere").retry_at == now + timedelta(minutes=1)  # retried with backoff
    assert store().tasks.get(ORG, "on").retry_at == now + timedelta(minutes=1)  # its answer is read then
    assert store().tasks.get(ORG, "off-0").retry_at is None
    # The offline and missing stations' claims, runs and effects: one transaction; the two others' claims,
    # their runs and their follow-up and retry: one each.
    assert made["TransactWriteItems"] == 1 + 3
    assert made["BatchGetItem"] == 2  # the limits' stations, the offline stations' deferred limits


def test_overlapping_ticks_run_every_occurrence_of_a_batch_once(world, monkeypatch):  # noqa: F811
    for number, station_id in enumerate(OFFLINE):
        _limit(f"off-{number}", station_id)
    _task("gone", USER_ACTIVATION, {"charging_user_id": "nobody@duckburg.com"}, {"active": False})
    now = clock.now()
    stale = store().tasks.due(now)  # what an overlapping tick read before the first one ran
    first = task_runner.run_due(now)
    monkeypatch.setattr(type(store().tasks), "due", lambda self, moment, limit=100: stale)
    second = task_runner.run_due(now)
    assert sorted(s.action for s in first) == ["ran"] * 4
    assert [s.action for s in second] == ["skipped"] * 4
    for task_id in ("off-0", "off-1", "off-2", "gone"):
        assert len(_runs(task_id)) == 1
    assert store().tasks.get(ORG, "gone").retry_at == now + timedelta(minutes=1)  # the first tick's retry stands
    assert store().tasks.get(ORG, "off-0").next_run_at > now


def test_a_claim_lost_inside_a_batch_costs_no_other_task_its_run(world, requests):  # noqa: F811
    for number, station_id in enumerate(OFFLINE):
        _limit(f"off-{number}", station_id)
    now = clock.now()
    occurrence = schedules.latest_occurrence(Schedule("daily", 1, 0), now, UTC)
    assert store().tasks.claim(ORG, "off-1", occurrence, 0, now)  # another tick holds this one
    requests.clear()
    steps = task_runner.run_due(now)
    assert {s.task_id: s.action for s in steps} == {"off-0": "ran", "off-1": "skipped", "off-2": "ran"}
    assert _runs("off-0") == [(0, "Deferred", DEFERRED_TEXT.format(6))] and _runs("off-1") == []
    assert "EVI00000014" not in store().station_settings.deferred_limits(ORG, list(OFFLINE))  # off-1 did nothing
    # The batch's transaction was cancelled, then each task went alone (1 + 3); the lost one was claimed
    # once more by the single path (what failed in its transaction is not told apart): 5.
    assert requests["TransactWriteItems"] == 5


def test_a_limit_taken_by_a_boot_between_the_batchs_read_and_its_write(world, monkeypatch):  # noqa: F811
    """The deferral is conditioned on the limit read: a boot that took it meanwhile makes that task go alone,
    with the single path's write (what it replaced is what is there then: nothing)."""
    settings = store().station_settings
    settings.defer_max_current(ORG, "EVI00000013", 10, clock.now(), "earlier")
    _limit("off-0", "EVI00000013")
    _limit("off-1", "EVI00000014")
    real = type(settings).deferred_limits

    def read_then_boot(self, org_id, station_ids):
        seen = real(self, org_id, station_ids)
        assert self.take_max_current(ORG, "EVI00000013").task_id == "earlier"  # the station's boot
        return seen

    monkeypatch.setattr(type(settings), "deferred_limits", read_then_boot)
    steps = task_runner.run_due(clock.now())
    assert sorted((s.task_id, s.outcome) for s in steps) == [("off-0", "Deferred"), ("off-1", "Deferred")]
    monkeypatch.undo()
    limits = settings.deferred_limits(ORG, ["EVI00000013", "EVI00000014"])
    assert (limits["EVI00000013"].task_id, limits["EVI00000014"].task_id) == ("off-0", "off-1")


def test_a_batch_get_that_leaves_keys_unprocessed_reads_them_again(world, monkeypatch):  # noqa: F811
    """DynamoDB may answer part of a BatchGetItem and name the rest UnprocessedKeys: those are read again."""
    real = Connection.dispatch
    answers = []

    def partly(self, operation_name, operation_kwargs):
        if operation_name != "BatchGetItem":
            return real(self, operation_name, operation_kwargs)
        if answers:  # the second request: whatever it asks, all of it
            answers.append(real(self, operation_name, operation_kwargs))
            return answers[-1]
        (table, request), = operation_kwargs["RequestItems"].items()
        half = len(request["Keys"]) // 2
        first = {"RequestItems": {table: {**request, "Keys": request["Keys"][:half]}}}
        answers.append(real(self, operation_name, first))
        return {**answers[-1], "UnprocessedKeys": {table: {**request, "Keys": request["Keys"][half:]}}}

    monkeypatch.setattr(Connection, "dispatch", partly)
    stations = ("EVI00000013", "EVI00000014", "EVI00000015", "EVI00000016")
    found = store().estate.stations_online(ORG, [*stations, "NO-SUCH-STATION"])
    assert len(answers) == 2
    assert {station_id: connection for station_id, (_, connection) in found.items()} == dict.fromkeys(stations)
    assert all(station.station_id == station_id for station_id, (station, _) in found.items())
    answers.clear()
    store().station_settings.defer_max_current(ORG, "EVI00000013", 8, clock.now(), "t1")
    store().station_settings.defer_max_current(ORG, "EVI00000016", 9, clock.now(), "t2")
    limits = store().station_settings.deferred_limits(ORG, list(stations))
    assert len(answers) == 2
    assert {s: (limit.amperes, limit.task_id) for s, limit in limits.items()} == {"EVI00000013": (8, "t1"),
                                                                                   "EVI00000016": (9, "t2")}
