"""GET /api/v1/scheduled-tasks/{task_id}/runs: what the minute job did, newest first, for admins of the task's domain."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import task_runner
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import MAX_CURRENT, USER_ACTIVATION, Schedule, Task

RUNS = "/api/v1/scheduled-tasks/{}/runs"


def _task(task_id: str, kind: str, key: dict, value: dict) -> None:
    now = clock.now()
    store().tasks.add(Task("ACME", task_id, task_id, kind, key, value, Schedule("daily", 1, 0), True, now, now,
                           next_run_at=now - timedelta(minutes=1)))


def test_admins_read_the_runs_of_a_task_of_their_domain(world):
    _task("limit", MAX_CURRENT, {"station_id": "EVI00000013"}, {"amperes": 6})  # Pine Mall, not connected
    _task("gone", USER_ACTIVATION, {"charging_user_id": "nobody@duckburg.com"}, {"active": False})
    task_runner.run_due(clock.now())
    task_runner.run_due(clock.now() + timedelta(minutes=1, seconds=1))  # the failed one's retry
    listed = world.admin.get(RUNS.format("limit"))
    assert listed.status == 200
    [run] = listed.body["items"]
    assert (run["outcome"], run["attempt"], run["command_id"]) == ("Deferred", 0, None)
    assert run["detail"] == "Station limited to 6 A: the charging station is offline; the limit is applied when it reconnects."
    first = world.admin.get(RUNS.format("gone") + "?limit=1")
    assert [(r["attempt"], r["outcome"], r["detail"]) for r in first.body["items"]] == [(1, "Failed", "Charging user not found.")]
    rest = world.admin.get(RUNS.format("gone") + f"?limit=1&cursor={first.body['cursor']}")
    assert [r["attempt"] for r in rest.body["items"]] == [0]


def test_others_are_refused_or_find_nothing(world):
    _task("limit", MAX_CURRENT, {"station_id": "EVI00000013"}, {"amperes": 6})
    reply = world.basic.get(RUNS.format("limit"))
    assert (reply.status, reply.message) == (403, "Access denied.")
    for caller, task_id in ((world.sibling, "limit"), (world.other_org, "limit"), (world.admin, "missing")):
        reply = caller.get(RUNS.format(task_id))
        assert (reply.status, reply.message) == (404, "Scheduled task not found.")
