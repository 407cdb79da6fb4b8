"""Scheduled-task rules on the in-memory demo: what an edit keeps, races with the minute job, copies, time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import scheduled_tasks
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Invalid
from chalicelib.domain.scheduled_tasks import Draft
from chalicelib.domain.user_scope import Scope
from chalicelib.ports.tasks import Schedule

NOW = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
DAILY = Schedule("daily", 1, 0)


@pytest.fixture
def scope(world) -> Scope:
    path = world.store.stations.raw("ACME", "EVI00000013")["group_path"]
    root = "/" + path.strip("/").split("/")[0] + "/"
    return Scope(Principal("ada", "ACME", "admin", root.strip("/"), root, role_at_login="admin"))


def draft(**changes) -> Draft:
    fields = {"name": "Night limit", "type": "max_current", "key": {"station_id": "EVI00000013"},
              "value": {"amperes": 6}, "schedule": DAILY, "active": True}
    return Draft(**{**fields, **changes})


def test_a_name_edit_keeps_the_next_run_and_a_pending_retry_a_schedule_edit_does_not(world, scope):
    task = scheduled_tasks.create(scope, draft(), NOW)
    retried = world.store.tasks.retry("ACME", task.task_id, task.due_at, NOW + timedelta(hours=2), 1)
    renamed = scheduled_tasks.update(scope, task.task_id, draft(name="Renamed"), task.version, NOW + timedelta(hours=1))
    assert (renamed.next_run_at, renamed.retry_at, renamed.attempts) == (retried.next_run_at, retried.retry_at, 1)
    assert renamed.version == 2 and renamed.updated_at == NOW + timedelta(hours=1)
    moved = scheduled_tasks.update(scope, task.task_id, draft(name="Renamed", schedule=Schedule("daily", 5, 0)), 2, NOW)
    assert (moved.next_run_at, moved.retry_at, moved.attempts) == (datetime(2026, 3, 1, 5, 0, tzinfo=UTC), None, 0)


def test_an_edit_racing_the_minute_job_reads_again_and_keeps_the_jobs_move(world, scope, monkeypatch):
    task = scheduled_tasks.create(scope, draft(), NOW)
    tomorrow = task.next_run_at + timedelta(days=1)
    reads = []
    real_get = world.store.tasks.get

    def get_then_tick(org_id, task_id):
        found = real_get(org_id, task_id)
        reads.append(found)
        if len(reads) == 2:  # the edit's read; the job advances the task before the edit saves
            world.store.tasks.advance(org_id, task_id, found.due_at, tomorrow)
        return found

    monkeypatch.setattr(world.store.tasks, "get", get_then_tick)
    renamed = scheduled_tasks.update(scope, task.task_id, draft(name="Renamed"), task.version, NOW)
    # rev: 1 created, 2 advanced by the job, 3 the edit saved on its second try
    assert renamed.name == "Renamed" and renamed.next_run_at == tomorrow and renamed.rev == 3


def test_activating_an_active_task_changes_nothing(world, scope):
    task = scheduled_tasks.create(scope, draft(), NOW)
    [same] = scheduled_tasks.set_active(scope, [task.task_id, task.task_id], True, NOW + timedelta(hours=3))
    assert same == task


def test_a_copy_of_a_long_name_stays_within_the_limit(world, scope):
    task = scheduled_tasks.create(scope, draft(name="N" * 100), NOW)
    copy = scheduled_tasks.copy(scope, task.task_id, NOW)
    assert len(copy.name) == 100 and copy.name.endswith(" (copy)") and not copy.active and copy.next_run_at is None


def test_a_new_time_zone_moves_the_next_run_of_local_tasks_without_a_new_version(world, scope):
    local = scheduled_tasks.create(scope, draft(schedule=Schedule("daily", 12, 0, time_zone="organization")), NOW)
    scheduled_tasks.create(scope, draft(), NOW)
    assert local.next_run_at == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)  # Helsinki, UTC+2
    world.store.operators.update_organization(world.store.operators.organization("ACME"),
                                              world.store.operators.organization("ACME").version, "ACME", "America/New_York")
    assert scheduled_tasks.rezone("ACME", NOW) == 1
    moved = world.store.tasks.get("ACME", local.task_id)
    assert moved.next_run_at == datetime(2026, 3, 1, 17, 0, tzinfo=UTC) and moved.version == local.version


@pytest.mark.parametrize(("schedule", "text"), [
    (Schedule("hourly", 1, 0), "Unknown schedule: hourly."),
    (Schedule("daily", 24, 0), "Hour must be 0-23 and minute 0-59."),
    (Schedule("weekly", 1, 0, ("Funday",)), "Weekdays are Mon, Tue, Wed, Thu, Fri, Sat and Sun."),
    (Schedule("monthly", 1, 0, (), 32), "A monthly schedule needs a day of month (1-31)."),
    (Schedule("daily", 1, 0, time_zone="Europe/Helsinki"), 'The time zone of a schedule is "UTC" or "organization".'),
])
def test_the_domain_refuses_impossible_schedules_whoever_asks(world, scope, schedule, text):
    with pytest.raises(Invalid) as refused:
        scheduled_tasks.create(scope, draft(schedule=schedule), NOW)
    assert refused.value.message == text
    assert world.store.tasks.list("ACME", 10).items == []


def test_amperes_must_be_a_number_in_range(world, scope):
    for amperes, text in ((True, "Max current must be a number of amperes."), ("16", "Max current must be a number of amperes."),
                          (80.5, "Max current must be between 6 and 80 A.")):
        with pytest.raises(Invalid) as refused:
            scheduled_tasks.create(scope, draft(value={"amperes": amperes}), NOW)
        assert refused.value.message == text
    assert scheduled_tasks.create(scope, draft(value={"amperes": 80}), NOW).value == {"amperes": 80}
