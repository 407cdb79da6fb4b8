"""Scheduled tasks over REST: the manual's examples, local time and DST, validation, the admin's domain, history summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock

TASKS = "/api/v1/scheduled-tasks"
NOW = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)  # a Sunday; ACME's zone is Europe/Helsinki (UTC+2 in winter)


@pytest.fixture(autouse=True)
def pinned(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def max_current(amperes=6, station_id="EVI00000013", **schedule) -> dict:
    return {
        "name": "Night limit", "type": "max_current", "key": {"station_id": station_id}, "value": {"amperes": amperes},
        "schedule": {"kind": "daily", "hour": 1, "minute": 0, **schedule}, "active": True,
    }


def user_activation(user="scrooge@duckburg.com", active=True, **schedule) -> dict:
    return {
        "name": "Weekdays", "type": "user_activation", "key": {"charging_user_id": user}, "value": {"active": active},
        "schedule": {"kind": "weekly", "hour": 0, "minute": 0, "weekdays": ["Mon"], **schedule}, "active": True,
    }


def edit(task: dict, **changes) -> dict:
    body = {name: task[name] for name in ("name", "type", "key", "value", "schedule", "active", "version")}
    return {**body, **changes}


def created(api, body: dict) -> dict:
    reply = api.post(TASKS, body)
    assert reply.status == 201, reply
    return reply.body


def test_a_daily_task_is_saved_with_its_next_run_in_utc(world):
    task = created(world.admin, max_current())
    assert (task["name"], task["type"], task["key"], task["value"]) == ("Night limit", "max_current", {"station_id": "EVI00000013"}, {"amperes": 6})
    assert task["schedule"] == {"kind": "daily", "hour": 1, "minute": 0, "weekdays": [], "day_of_month": None, "time_zone": "UTC"}
    assert task["next_run_at"] == "2026-03-01T01:00:00Z" and task["next_run_local"] is None
    assert task["organization_time_zone"] == "Europe/Helsinki"
    assert task["last_run"] is None and task["failing"] is False and task["version"] == 1
    assert world.admin.get(f"{TASKS}/{task['task_id']}").body == task
    from chalicelib.ports.registry import store

    assert [t.task_id for t in store().tasks.due(NOW + timedelta(hours=1))] == [task["task_id"]]


def test_the_manuals_first_example_limit_at_night_and_restore_in_the_morning(world):
    # Create the 01:00 limit, copy it as a template, edit the copy to 32 A at 06:00, activate both
    night = created(world.admin, max_current(6))
    copy = world.admin.post(f"{TASKS}/{night['task_id']}/copy")
    assert copy.status == 201, copy
    assert copy.body["name"] == "Night limit (copy)" and copy.body["active"] is False and copy.body["next_run_at"] is None
    assert copy.body["value"] == {"amperes": 6} and copy.body["task_id"] != night["task_id"]
    morning = world.admin.put(f"{TASKS}/{copy.body['task_id']}", edit(
        copy.body, name="Morning", value={"amperes": 32}, schedule={**copy.body["schedule"], "hour": 6}))
    assert morning.status == 200, morning
    assert morning.body["version"] == 2 and morning.body["next_run_at"] is None
    both = world.admin.post(f"{TASKS}/activation", {"task_ids": [night["task_id"], copy.body["task_id"]], "active": True})
    assert both.status == 200, both
    assert [(t["name"], t["active"], t["next_run_at"]) for t in both.body["items"]] == [
        ("Night limit", True, "2026-03-01T01:00:00Z"), ("Morning", True, "2026-03-01T06:00:00Z")]


def test_the_manuals_weekday_and_monthly_examples(world):
    monday = created(world.admin, user_activation())
    friday = created(world.admin, user_activation(active=False, hour=23, minute=59, weekdays=["Fri"]))
    assert monday["next_run_at"] == "2026-03-02T00:00:00Z" and friday["next_run_at"] == "2026-03-06T23:59:00Z"
    group_id = world.admin.get("/api/v1/user-groups").body["items"][0]["user_group_id"]
    body = {"name": "15th", "type": "user_group_activation", "key": {"user_group_id": group_id}, "value": {"active": True},
            "schedule": {"kind": "monthly", "day_of_month": 15, "hour": 0, "minute": 0}}
    assert created(world.admin, body)["next_run_at"] == "2026-03-15T00:00:00Z"
    last_day = created(world.admin, {**body, "schedule": {"kind": "monthly", "day_of_month": 31, "hour": 0, "minute": 0}})
    # March has its 31st; from April on the task runs on each month's last day
    assert last_day["next_run_at"] == "2026-03-31T00:00:00Z"


def test_local_time_shows_both_times_and_follows_dst(world):
    # Noon on Mondays in Helsinki: 30 March is after the spring-forward night of 29 March (UTC+3)
    task = created(world.admin, user_activation(hour=12, time_zone="organization"))
    assert task["next_run_at"] == "2026-03-02T10:00:00Z" and task["next_run_local"] == "2026-03-02T12:00:00+02:00"
    later = datetime(2026, 3, 25, tzinfo=UTC)
    from chalicelib.domain import schedules
    from chalicelib.domain.scheduled_tasks import zone_of
    from chalicelib.ports.registry import store

    stored = store().tasks.get("ACME", task["task_id"])
    assert schedules.next_occurrence(stored.schedule, later, zone_of("ACME")) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


def test_a_new_organization_time_zone_moves_the_local_tasks_only(world):
    local = created(world.admin, user_activation(hour=12, time_zone="organization"))
    in_utc = created(world.admin, user_activation(hour=12))
    seen = world.admin.get("/api/v1/organization").body
    reply = world.admin.put("/api/v1/organization", {"name": seen["name"], "timezone": "Asia/Tokyo", "version": seen["version"]})
    assert reply.status == 200, reply
    moved = world.admin.get(f"{TASKS}/{local['task_id']}").body
    assert moved["next_run_at"] == "2026-03-02T03:00:00Z" and moved["next_run_local"] == "2026-03-02T12:00:00+09:00"
    assert moved["organization_time_zone"] == "Asia/Tokyo"
    assert world.admin.get(f"{TASKS}/{in_utc['task_id']}").body["next_run_at"] == "2026-03-02T12:00:00Z"


@pytest.mark.parametrize(("body", "status", "text"), [
    ({**max_current(), "type": "max_power"}, 400, None),
    (max_current(5), 400, "Max current must be between 6 and 80 A."),
    (max_current(81), 400, "Max current must be between 6 and 80 A."),
    (max_current(hour=24), 400, None),
    (max_current(minute=60), 400, None),
    (max_current(hour=-1), 400, None),
    (user_activation(weekdays=[]), 400, "A weekly schedule needs at least one weekday."),
    (user_activation(weekdays=["Funday"]), 400, None),
    (max_current(kind="monthly"), 400, "A monthly schedule needs a day of month (1-31)."),
    (max_current(kind="monthly", day_of_month=0), 400, None),
    (max_current(kind="monthly", day_of_month=32), 400, None),
    (max_current(time_zone="Europe/Helsinki"), 400, None),
    ({**max_current(), "key": {"charging_user_id": "scrooge@duckburg.com"}}, 400, 'The key of a max_current task is {"station_id": ...}.'),
    ({**max_current(), "value": {"active": True}}, 400, 'The value of a max_current task is {"amperes": ...}.'),
    (max_current(station_id="NOPE-1"), 404, "Charging station does not exist."),
    (user_activation(user="nobody@duckburg.com"), 404, "Charging user not found."),
    ({**user_activation(), "type": "user_group_activation", "key": {"user_group_id": "nope"}}, 404, "Charging user group not found."),
])
def test_bad_values_are_refused_and_nothing_is_saved(world, body, status, text):
    reply = world.admin.post(TASKS, body)
    assert reply.status == status, reply
    if text:
        assert reply.body["message"] == text
    assert world.admin.get(TASKS).body["items"] == []


def test_a_bad_edit_changes_nothing(world):
    task = created(world.admin, max_current())
    assert world.admin.put(f"{TASKS}/{task['task_id']}", edit(task, value={"amperes": 100})).status == 400
    assert world.admin.get(f"{TASKS}/{task['task_id']}").body == task
    stale = world.admin.put(f"{TASKS}/{task['task_id']}", edit(task, name="A"))
    assert stale.status == 200
    refused = world.admin.put(f"{TASKS}/{task['task_id']}", edit(task, name="B"))
    assert refused.status == 409 and "changed by another operator" in refused.body["message"]


def test_basic_operators_get_access_denied(world):
    task = created(world.admin, max_current())
    for reply in (world.basic.get(TASKS), world.basic.post(TASKS, max_current()), world.basic.get(f"{TASKS}/{task['task_id']}"),
                  world.basic.post(f"{TASKS}/activation", {"task_ids": [task["task_id"]], "active": False})):
        assert (reply.status, reply.body["message"]) == (403, "Access denied.")


def test_admins_see_and_key_only_their_domain(world):
    pine = created(world.admin, max_current())
    scrooge = created(world.admin, user_activation())
    # the Birch Mall admin sees neither task: a Pine Mall station and a user of the whole organization
    assert world.sibling.get(TASKS).body["items"] == []
    for task in (pine, scrooge):
        reply = world.sibling.get(f"{TASKS}/{task['task_id']}")
        assert (reply.status, reply.body["message"]) == (404, "Scheduled task not found.")
        assert world.sibling.delete(f"{TASKS}/{task['task_id']}").status == 404
        assert world.sibling.post(f"{TASKS}/{task['task_id']}/copy").status == 404
    refused = world.sibling.post(f"{TASKS}/activation", {"task_ids": [pine["task_id"]], "active": False})
    assert refused.status == 404 and world.admin.get(f"{TASKS}/{pine['task_id']}").body["active"] is True
    # nor may it key a task to them
    assert world.sibling.post(TASKS, max_current()).body["message"] == "Charging station does not exist."
    assert world.sibling.post(TASKS, user_activation()).body["message"] == "Charging user not found."
    # its own station is fine, and only it is listed for it
    birch = created(world.sibling, max_current(station_id="EVI00000015"))
    assert [t["task_id"] for t in world.sibling.get(TASKS).body["items"]] == [birch["task_id"]]
    # another organization sees nothing and may not key ACME's station
    assert world.other_org.get(TASKS).body["items"] == []
    assert world.other_org.get(f"{TASKS}/{pine['task_id']}").status == 404
    assert world.other_org.post(TASKS, max_current()).status == 404
    assert created(world.other_org, max_current(station_id="GLX-1"))["organization_time_zone"] == "America/New_York"


def test_list_filters_by_type_and_name_in_pages(world, monkeypatch):
    # the list is in creation order
    for second, body in enumerate([{**max_current(), "name": "Night A"}, {**max_current(), "name": "Night B"},
                                   {**max_current(), "name": "Day"}, {**user_activation(), "name": "Night user"}]):
        monkeypatch.setattr(clock, "now", lambda s=second: NOW + timedelta(seconds=s))
        created(world.admin, body)
    first = world.admin.get(f"{TASKS}?limit=2").body
    rest = world.admin.get(f"{TASKS}?limit=2&cursor={first['cursor']}").body
    assert [t["name"] for t in first["items"] + rest["items"]] == ["Night A", "Night B", "Day", "Night user"]
    assert [t["name"] for t in world.admin.get(f"{TASKS}?name=night").body["items"]] == ["Night A", "Night B", "Night user"]
    assert [t["name"] for t in world.admin.get(f"{TASKS}?name=NIGHT&type=user_activation").body["items"]] == ["Night user"]
    assert world.admin.get(f"{TASKS}?type=nonsense").status == 400


def test_deactivating_and_deleting_leave_nothing_due(world):
    from chalicelib.ports.registry import store

    one, two = created(world.admin, max_current()), created(world.admin, max_current(hour=2))
    off = world.admin.post(f"{TASKS}/activation", {"task_ids": [one["task_id"]], "active": False}).body["items"][0]
    assert off["active"] is False and off["next_run_at"] is None
    assert world.admin.delete(f"{TASKS}/{two['task_id']}").status == 204
    assert world.admin.get(f"{TASKS}/{two['task_id']}").status == 404
    assert world.admin.delete(f"{TASKS}/{two['task_id']}").status == 404
    assert store().tasks.due(NOW + timedelta(days=2)) == []
    # an unknown id among many: none changes
    missing = world.admin.post(f"{TASKS}/activation", {"task_ids": [one["task_id"], "nope"], "active": True})
    assert missing.status == 404 and world.admin.get(f"{TASKS}/{one['task_id']}").body["active"] is False


def test_the_last_run_and_a_failure_show_in_the_list(world):
    from chalicelib.ports.registry import store
    from chalicelib.ports.tasks import FAILED, Run, new_run_id

    task = created(world.admin, user_activation(user="Scrooge@Duckburg.com"))
    assert task["key"] == {"charging_user_id": "scrooge@duckburg.com"}
    at = NOW + timedelta(hours=1)
    store().tasks.add_run(Run("ACME", task["task_id"], new_run_id(at), at, 0, at, FAILED, "Charging user not found."))
    row = world.admin.get(TASKS).body["items"][0]
    assert row["failing"] is True
    assert row["last_run"] == {"outcome": "Failed", "at": "2026-03-01T01:30:00Z", "occurrence": "2026-03-01T01:30:00Z",
                               "detail": "Charging user not found."}
