"""The minute job that runs scheduled tasks (issue 11) on the in-memory demo with an injected clock: the manual's
three examples, DST, month ends, catch-up after downtime, overlapping ticks, an offline station, retries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib import clock
from chalicelib.domain import schedules, task_runner
from chalicelib.jobs import scheduled_tasks
from chalicelib.jobs.runner import Tick
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import MAX_CURRENT, USER_ACTIVATION, USER_GROUP_ACTIVATION, Schedule, Task
from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame
from tests.unit.ocpp_helpers import result_of

ORG = "ACME"
STATION = "EVI00000013"
SCROOGE = "scrooge@duckburg.com"
HELSINKI = ZoneInfo("Europe/Helsinki")  # the demo organization's zone
CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # a Sunday


class Clock:
    def __init__(self) -> None:
        self.at = CREATED

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def now(world, monkeypatch) -> Clock:
    moment = Clock()
    monkeypatch.setattr(clock, "now", moment)
    return moment


_ids = iter(range(1, 10_000))


def add_task(kind: str, key: dict, value: dict, schedule: Schedule, name: str = "task") -> str:
    zone = UTC if schedule.time_zone == "UTC" else HELSINKI
    task_id = f"2026030112000{next(_ids):04d}"
    store().tasks.add(Task(ORG, task_id, name, kind, key, value, schedule, True, CREATED, CREATED,
                           next_run_at=schedules.next_occurrence(schedule, CREATED, zone)))
    return task_id


def limit_task(amperes: float, hour: int, minute: int = 0, name: str = "task", **schedule) -> str:
    return add_task(MAX_CURRENT, {"station_id": STATION}, {"amperes": amperes}, Schedule("daily", hour, minute, **schedule), name)


def tick(now: Clock, at: datetime) -> list[task_runner.Step]:
    now.at = at
    return scheduled_tasks.run(Tick(at, at))


def profiles(world) -> list[tuple[str, float]]:
    """(command id, limit) of every SetChargingProfile sent, in order."""
    frames = [json.loads(text) for _, text in world.store.chargers.sent]
    return [(f[1], f[3]["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"])
            for f in frames if f[0] == 2 and f[2] == "SetChargingProfile"]


def answer(command_id: str, status: str = "Accepted") -> None:
    frame = json.dumps([3, command_id, {"status": status}])
    assert handle_frame(StationContext(ORG, STATION, "c"), frame, {}) is None


def runs(task_id: str) -> list[tuple]:
    """(occurrence, attempt, outcome) oldest first."""
    page = store().tasks.runs(ORG, task_id, 50)
    return [(r.occurrence, r.attempt, r.outcome) for r in reversed(page.items)]


def booted(world, station_id: str = STATION):
    charger = world.connect(station_id)
    assert result_of("BootNotification", charger.frame("boot_notification"))["status"] == "Accepted"
    return charger


def authorize(world) -> str:
    return result_of("Authorize", world.connect(STATION).call("Authorize", {"idTag": "12345678"}))["idTagInfo"]["status"]


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


# --- the manual's examples --------------------------------------------------------------------------------
def test_example_1_six_amperes_from_01_to_06_every_day(world, now):
    booted(world)
    night, day = limit_task(6, 1), limit_task(32, 6)
    assert tick(now, at(2, 0, 59)) == []
    [step] = tick(now, at(2, 1))
    assert (step.task_id, step.outcome) == (night, "Sent")
    [(command_id, limit)] = profiles(world)
    assert limit == 6
    assert store().tasks.get(ORG, night).last_run.outcome == "Sent"
    answer(command_id)
    [followed] = tick(now, at(2, 1, 1))
    assert (followed.action, followed.outcome) == ("followed", "Done")
    task = store().tasks.get(ORG, night)
    assert (task.last_run.outcome, task.last_run.detail) == ("Done", "SetChargingProfile: the charging station answered Accepted.")
    assert (task.next_run_at, task.retry_at) == (at(3, 1), None)
    assert tick(now, at(2, 1, 2)) == []
    tick(now, at(2, 6))
    answer(profiles(world)[-1][0])
    tick(now, at(2, 6, 1))
    tick(now, at(3, 1))
    assert [limit for _, limit in profiles(world)] == [6, 32, 6]
    assert runs(day) == [(at(2, 6), 0, "Done")]
    assert runs(night) == [(at(2, 1), 0, "Done"), (at(3, 1), 0, "Sent")]


def test_example_2_a_user_may_charge_on_weekdays_only(world, now):
    monday = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": True}, Schedule("weekly", 0, 0, ("Mon",)))
    friday = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": False}, Schedule("weekly", 23, 59, ("Fri",)))
    seen = {}
    # Monday 2 March, then every 6 hours for 12 days, and the exact minutes of both tasks
    moments = sorted({at(2, 0) + timedelta(hours=6 * i) for i in range(48)} | {at(6, 23, 59), at(13, 23, 59), at(9, 0)})
    for moment in moments:
        tick(now, moment)
        seen[moment] = authorize(world)
    assert seen[at(2, 0)] == seen[at(6, 18)] == seen[at(9, 0)] == seen[at(13, 18)] == "Accepted"
    assert seen[at(6, 23, 59)] == seen[at(7, 12)] == seen[at(8, 18)] == seen[at(13, 23, 59)] == "Blocked"
    assert runs(monday) == [(at(2, 0), 0, "Done"), (at(9, 0), 0, "Done")]
    assert runs(friday) == [(at(6, 23, 59), 0, "Done"), (at(13, 23, 59), 0, "Done")]
    assert store().tasks.get(ORG, friday).last_run.detail == "Charging user scrooge@duckburg.com is inactive."


def test_example_3_a_user_group_may_charge_on_the_15th_only(world, now):
    [group] = store().users.user_groups_page(ORG, 10, None, None).items
    key = {"user_group_id": group.user_group_id}
    add_task(USER_GROUP_ACTIVATION, key, {"active": True}, Schedule("monthly", 0, 0, day_of_month=15))
    add_task(USER_GROUP_ACTIVATION, key, {"active": False}, Schedule("monthly", 23, 59, day_of_month=15))
    tick(now, at(1, 13))  # nothing due yet: the group is as it was
    assert authorize(world) == "Accepted"
    seen = []
    for moment in (at(15, 0), at(15, 12), at(15, 23, 59), at(16, 12), at(15, 0, month=4), at(15, 23, 59, month=4)):
        tick(now, moment)
        seen.append(authorize(world))
    assert seen == ["Accepted", "Accepted", "Blocked", "Blocked", "Accepted", "Blocked"]


# --- time: DST, month ends, downtime ------------------------------------------------------------------------
def test_a_local_time_follows_dst_and_a_skipped_time_runs_after_the_gap(world, now):
    task_id = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": True},
                       Schedule("daily", 3, 30, time_zone="organization"))
    # Helsinki springs forward on 29 March 2026 at 03:00 EET -> 04:00 EEST: 03:30 does not exist that night.
    tick(now, at(27, 12))  # catch-up: the 27th's 03:30 EET (01:30 UTC)
    expected = [at(28, 1, 30), at(29, 1), at(30, 0, 30)]
    for moment in expected:
        assert tick(now, moment - timedelta(minutes=1)) == []
        tick(now, moment)
    assert [r[0] for r in runs(task_id)] == [at(27, 1, 30), *expected]
    assert store().tasks.get(ORG, task_id).next_run_at == at(31, 0, 30)


def test_a_monthly_day_the_month_lacks_runs_on_its_last_day(world, now):
    task_id = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": True}, Schedule("monthly", 12, 0, day_of_month=31))
    for moment in (at(31, 12), at(30, 12, month=4), at(31, 12, month=5)):
        tick(now, moment)
    assert [r[0] for r in runs(task_id)] == [at(31, 12), at(30, 12, month=4), at(31, 12, month=5)]


def test_after_downtime_only_the_latest_missed_occurrence_runs_and_the_latest_state_wins(world, now):
    on = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": True}, Schedule("daily", 8, 0))
    off = add_task(USER_ACTIVATION, {"charging_user_id": SCROOGE}, {"active": False}, Schedule("daily", 20, 0))
    tick(now, at(5, 10))  # down since 1 March: three of each were missed
    assert runs(on) == [(at(5, 8), 0, "Done")]
    assert runs(off) == [(at(4, 20), 0, "Done")]
    assert authorize(world) == "Accepted"  # 08:00 on the 5th is later than 20:00 on the 4th
    assert store().tasks.get(ORG, on).next_run_at == at(6, 8)


# --- exactly once -------------------------------------------------------------------------------------------
def test_two_ticks_at_once_run_an_occurrence_once(world, now, monkeypatch):
    booted(world)
    task_id = limit_task(6, 1)
    now.at = at(2, 1)
    stale = store().tasks.due(at(2, 1))  # what an overlapping tick read before the first one ran
    first = tick(now, at(2, 1))
    real_due = type(store().tasks).due
    monkeypatch.setattr(type(store().tasks), "due", lambda self, moment, limit=100: stale if moment == at(2, 1) else real_due(self, moment, limit))
    second = tick(now, at(2, 1))
    assert [s.action for s in first] == ["ran"] and [s.action for s in second] == ["skipped"]
    assert len(profiles(world)) == 1 and len(runs(task_id)) == 1
    assert store().tasks.get(ORG, task_id).retry_at == at(2, 1, 1)  # the first tick's follow-up stands


def test_a_claim_whose_tick_died_before_recording_moves_the_task_on(world, now):
    task_id = limit_task(6, 1)
    assert store().tasks.claim(ORG, task_id, at(2, 1), 0, at(2, 1))  # a tick claimed it, then its Lambda died
    assert [s.action for s in tick(now, at(2, 1, 1))] == ["skipped"]  # it may still be running
    assert store().tasks.get(ORG, task_id).next_run_at == at(2, 1)
    tick(now, at(2, 1, 6))
    assert store().tasks.get(ORG, task_id).next_run_at == at(3, 1)
    assert runs(task_id) == []


# --- stations away, failures --------------------------------------------------------------------------------
def test_a_station_offline_at_run_time_gets_the_limit_when_it_reconnects(world, now):
    task_id = limit_task(6, 1)
    [step] = tick(now, at(2, 1))
    assert step.outcome == "Deferred"
    task = store().tasks.get(ORG, task_id)
    assert task.last_run.detail == "Station limited to 6 A: the charging station is offline; the limit is applied when it reconnects."
    assert (task.next_run_at, task.retry_at) == (at(3, 1), None)
    assert profiles(world) == []
    now.at = at(2, 3)
    booted(world)
    [(command_id, limit)] = profiles(world)
    assert limit == 6
    # The waiting run now follows that command: the next tick reads the charger's answer.
    task = store().tasks.get(ORG, task_id)
    assert (task.last_run.outcome, task.retry_at) == ("Sent", at(2, 3, 1))
    answer(command_id)
    [step] = tick(now, at(2, 3, 1))
    assert step.action == "followed"
    assert runs(task_id) == [(at(2, 1), 0, "Done")]
    task = store().tasks.get(ORG, task_id)
    assert task.last_run.detail == "SetChargingProfile: the charging station answered Accepted."
    assert (task.next_run_at, task.retry_at, task.failing) == (at(3, 1), None, False)


def test_a_newer_run_leaves_an_older_deferred_run_alone(world, now):
    """Only the task's latest run waits for the station: a boot never rewrites an older one."""
    task_id = limit_task(6, 1)
    tick(now, at(2, 1))
    [deferred] = store().tasks.runs(ORG, task_id, 1).items
    store().tasks.update_run(replace(deferred, outcome="Failed"))  # as if a later run had replaced it
    now.at = at(2, 3)
    booted(world)
    assert [limit for _, limit in profiles(world)] == [6]  # the limit still goes out
    assert runs(task_id) == [(at(2, 1), 0, "Failed")]


def test_a_limit_replaced_while_the_station_is_away_closes_the_run_that_waited_for_it(world, now):
    """Two tasks limit one offline station: the later limit is the one the station gets at its boot, and
    the earlier task's run does not stay Deferred forever: it is Failed (never applied), not retried."""
    morning = limit_task(6, 1, name="Morning")
    evening = limit_task(10, 2, name="Evening")
    tick(now, at(2, 1))
    tick(now, at(2, 2))
    assert runs(morning) == [(at(2, 1), 0, "Failed")]
    task = store().tasks.get(ORG, morning)
    assert task.failing and task.last_run.detail == (
        "Not applied: the charging station was offline, and the task 'Evening' set a newer limit before it reconnected.")
    assert (task.retry_at, task.next_run_at) == (None, at(3, 1))  # no retry: the newer limit stands
    assert runs(evening) == [(at(2, 2), 0, "Deferred")]
    now.at = at(2, 3)
    booted(world)
    assert [limit for _, limit in profiles(world)] == [10]
    assert store().tasks.get(ORG, evening).last_run.outcome == "Sent"


def test_a_tasks_own_newer_deferred_run_closes_its_older_one(world, now):
    task_id = limit_task(6, 1)
    tick(now, at(2, 1))
    tick(now, at(3, 1))  # still offline the next day
    assert runs(task_id) == [(at(2, 1), 0, "Failed"), (at(3, 1), 0, "Deferred")]
    [newest, older] = store().tasks.runs(ORG, task_id, 2).items
    assert older.detail == "Not applied: the charging station was offline, and a newer run of this task set a newer limit before it reconnected."
    assert store().tasks.get(ORG, task_id).last_run.outcome == "Deferred"  # the summary is the newest run's


def test_a_refused_limit_is_retried_with_backoff_until_accepted(world, now):
    booted(world)
    task_id = limit_task(6, 1)
    tick(now, at(2, 1))
    answer(profiles(world)[-1][0], "Rejected")
    tick(now, at(2, 1, 1))  # follow-up: Failed, retried in 1 minute
    task = store().tasks.get(ORG, task_id)
    assert task.failing and task.last_run.detail == "SetChargingProfile: the charging station answered Rejected."
    assert (task.retry_at, task.attempts, task.next_run_at) == (at(2, 1, 2), 1, at(3, 1))
    tick(now, at(2, 1, 2))  # attempt 1
    answer(profiles(world)[-1][0], "Accepted")
    tick(now, at(2, 1, 3))
    assert runs(task_id) == [(at(2, 1), 0, "Failed"), (at(2, 1), 1, "Done")]
    task = store().tasks.get(ORG, task_id)
    assert not task.failing and (task.retry_at, task.next_run_at) == (None, at(3, 1))


def test_a_failing_task_gives_up_after_five_attempts_and_shows_it(world, now):
    task_id = add_task(USER_ACTIVATION, {"charging_user_id": "gone@duckburg.com"}, {"active": True}, Schedule("daily", 1, 0))
    moments = [at(2, 1), at(2, 1, 1), at(2, 1, 3), at(2, 1, 7), at(2, 1, 15)]
    for moment in moments:
        assert tick(now, moment - timedelta(seconds=1)) == []
        tick(now, moment)
    assert runs(task_id) == [(at(2, 1), attempt, "Failed") for attempt in range(5)]
    task = store().tasks.get(ORG, task_id)
    assert task.failing and task.last_run.detail == "Charging user not found."
    assert (task.retry_at, task.attempts, task.next_run_at) == (None, 0, at(3, 1))


def test_a_newer_occurrence_supersedes_a_pending_retry(world, now):
    task_id = add_task(USER_ACTIVATION, {"charging_user_id": "gone@duckburg.com"}, {"active": True},
                       Schedule("daily", 1, 0))
    tick(now, at(2, 1))
    tick(now, at(3, 1, 30))  # the retry was due at 01:01 on the 2nd: the system was down until the 3rd
    assert runs(task_id) == [(at(2, 1), 0, "Failed"), (at(3, 1), 0, "Failed")]
    assert store().tasks.get(ORG, task_id).attempts == 1


def test_in_threads_each_station_runs_its_tasks_in_order_and_every_task_once(world, now):
    tasks = [add_task(MAX_CURRENT, {"station_id": station_id}, {"amperes": amperes}, Schedule("daily", hour, 0))
             for station_id in ("EVI00000014", "EVI00000015", "EVI00000016", "EVI00000017")
             for amperes, hour in ((6, 1), (16, 2))]
    steps = task_runner.run_due(at(2, 3), workers=4)  # down since 1 March: both of each station's tasks are due
    assert sorted(s.task_id for s in steps) == sorted(tasks) and {s.outcome for s in steps} == {"Deferred"}
    for station_id in ("EVI00000014", "EVI00000017"):  # the later task's limit (02:00) is the one kept
        assert store().station_settings.take_max_current(ORG, station_id).amperes == 16


def test_a_backlog_runs_in_batches_and_what_is_over_a_ticks_share_waits_for_the_next(world, now):
    stations = ("EVI00000013", "EVI00000014", "EVI00000015", "EVI00000016", "EVI00000017")
    tasks = [add_task(MAX_CURRENT, {"station_id": s}, {"amperes": 6}, Schedule("daily", 1, 0)) for s in stations]
    now.at = at(2, 1)
    first = task_runner.run_due(at(2, 1), batch=2, max_batches=2)  # 2 batches of 2 (read at once, 8 at most)
    assert [s.action for s in first] == ["ran"] * 4
    [second] = task_runner.run_due(at(2, 1), batch=2, max_batches=2)
    assert sorted([s.task_id for s in first] + [second.task_id]) == sorted(tasks)
    assert task_runner.run_due(at(2, 1), batch=2, max_batches=2) == []
    assert all(runs(task_id) == [(at(2, 1), 0, "Deferred")] for task_id in tasks)
