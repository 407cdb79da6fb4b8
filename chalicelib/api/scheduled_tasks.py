"""Scheduled tasks (admins only): list with filters, add, view, edit, delete, copy as a template, (de)activate many."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery
from chalicelib.domain import scheduled_tasks
from chalicelib.domain.scheduled_tasks import Draft
from chalicelib.domain.user_scope import Scope
from chalicelib.ports.tasks import ORGANIZATION_ZONE, WEEKDAYS, Schedule, Task

TAG = "scheduled tasks"
BASE = "/api/v1/scheduled-tasks"
TaskType = Literal["max_current", "user_activation", "user_group_activation"]
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
TaskIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=100)]


class KeyIn(In):
    """Exactly the field of the task's type."""

    station_id: str | None = Field(default=None, min_length=1, max_length=64, description="max_current: the station")
    charging_user_id: str | None = Field(default=None, min_length=1, max_length=254, description="user_activation: the charging user's id (e-mail)")
    user_group_id: str | None = Field(default=None, min_length=1, max_length=64, description="user_group_activation: the user group")


class ValueIn(In):
    amperes: float | None = Field(default=None, description="max_current: the limit in amperes (6-80 A)")
    active: bool | None = Field(default=None, description="user_activation / user_group_activation: allowed to charge or not")


class ScheduleIn(In):
    kind: Literal["daily", "weekly", "monthly"]
    hour: int = Field(ge=0, le=23)
    minute: int = Field(ge=0, le=59)
    weekdays: list[Weekday] = Field(default_factory=list, max_length=7, description="weekly: the days it runs")
    day_of_month: int | None = Field(default=None, ge=1, le=31, description="monthly: a day the month lacks runs on its last day")
    time_zone: Literal["UTC", "organization"] = Field(
        default="UTC", description='"UTC" (the manual\'s rule) or "organization": hour and minute in the organization\'s time zone, following DST')


class TaskIn(In):
    name: str = Field(min_length=1, max_length=scheduled_tasks.MAX_NAME)
    type: TaskType
    key: KeyIn
    value: ValueIn
    schedule: ScheduleIn
    active: bool = True


class TaskEditIn(TaskIn):
    version: int | None = Field(default=None, ge=0, description="The version you saw; another operator's save in between is refused")


class ActivationIn(In):
    task_ids: TaskIds
    active: bool


class TaskQuery(PageQuery):
    type: TaskType | None = None
    name: str | None = Field(default=None, max_length=100, description="Case-insensitive part of the name")


class ScheduleOut(Out):
    kind: str
    hour: int
    minute: int
    weekdays: list[str]
    day_of_month: int | None
    time_zone: str


class LastRunOut(Out):
    outcome: str = Field(description="Done, Sent (the charger's answer decides), Deferred (station offline) or Failed")
    at: datetime
    occurrence: datetime = Field(description="The scheduled time the run was for (UTC)")
    detail: str | None = Field(description="What was done, or the error")


class TaskOut(Out):
    task_id: str
    name: str
    type: str
    key: dict[str, str]
    value: dict[str, Any]
    schedule: ScheduleOut
    active: bool
    next_run_at: datetime | None = Field(description="The next run in UTC; null when inactive")
    next_run_local: str | None = Field(description="The next run in the organization's time zone (schedules in local time)")
    organization_time_zone: str
    retry_at: datetime | None = Field(description="When a failed run is tried again (UTC)")
    last_run: LastRunOut | None
    failing: bool = Field(description="The last run failed")
    version: int
    created_at: datetime
    updated_at: datetime


class TaskPageOut(Out):
    items: list[TaskOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class TaskListOut(Out):
    items: list[TaskOut]


def _draft(body: TaskIn) -> Draft:
    key = {name: value for name, value in body.key.model_dump().items() if value is not None}
    value = {name: v for name, v in body.value.model_dump().items() if v is not None}
    amperes = value.get("amperes")
    if isinstance(amperes, float) and amperes.is_integer():
        value["amperes"] = int(amperes)
    s = body.schedule
    weekdays = tuple(day for day in WEEKDAYS if day in s.weekdays) if s.kind == "weekly" else ()
    schedule = Schedule(s.kind, s.hour, s.minute, weekdays, s.day_of_month if s.kind == "monthly" else None, s.time_zone)
    return Draft(body.name, body.type, key, value, schedule, body.active)


def _out(task: Task, zone: tzinfo) -> TaskOut:
    local = None
    if task.next_run_at is not None and task.schedule.time_zone == ORGANIZATION_ZONE:
        local = task.next_run_at.astimezone(zone).isoformat()
    schedule = ScheduleOut(**{**asdict(task.schedule), "weekdays": list(task.schedule.weekdays)})
    last = task.last_run
    return TaskOut(
        task_id=task.task_id, name=task.name, type=task.type, key=task.key, value=task.value, schedule=schedule,
        active=task.active, next_run_at=task.next_run_at, next_run_local=local, organization_time_zone=str(zone),
        retry_at=task.retry_at, failing=task.failing, version=task.version,
        created_at=task.created_at, updated_at=task.updated_at,
        last_run=None if last is None else LastRunOut(outcome=last.outcome, at=last.at, occurrence=last.occurrence, detail=last.detail),
    )


def _zone(ctx) -> tzinfo:
    return scheduled_tasks.zone_of(ctx.operator.org_id)


@route("GET", BASE, summary="List scheduled tasks, filtered by type and name", tag=TAG, access=ADMIN, query=TaskQuery,
       response=TaskPageOut, errors=(400, 403))
def list_tasks(ctx, query: TaskQuery) -> TaskPageOut:
    page = scheduled_tasks.listing(Scope(ctx.operator), query.limit, query.cursor, query.type, query.name)
    zone = _zone(ctx)
    return TaskPageOut(items=[_out(task, zone) for task in page.items], cursor=page.cursor)


@route("POST", BASE, summary="Schedule a new task", tag=TAG, access=ADMIN, body=TaskIn, response=TaskOut, status=201,
       errors=(400, 403, 404))
def create_task(ctx, body: TaskIn) -> TaskOut:
    return _out(scheduled_tasks.create(Scope(ctx.operator), _draft(body)), _zone(ctx))


@route("POST", f"{BASE}/activation", summary="Activate or deactivate scheduled tasks, many at once", tag=TAG,
       access=ADMIN, body=ActivationIn, response=TaskListOut, errors=(400, 403, 404, 409))
def activate_tasks(ctx, body: ActivationIn) -> TaskListOut:
    changed = scheduled_tasks.set_active(Scope(ctx.operator), body.task_ids, body.active)
    zone = _zone(ctx)
    return TaskListOut(items=[_out(task, zone) for task in changed])


@route("GET", f"{BASE}/{{task_id}}", summary="A scheduled task with its next run and last outcome", tag=TAG,
       access=ADMIN, response=TaskOut, errors=(403, 404))
def get_task(ctx, task_id: str) -> TaskOut:
    return _out(scheduled_tasks.get(Scope(ctx.operator), task_id), _zone(ctx))


@route("PUT", f"{BASE}/{{task_id}}", summary="Edit a scheduled task", tag=TAG, access=ADMIN, body=TaskEditIn,
       response=TaskOut, errors=(400, 403, 404, 409))
def edit_task(ctx, task_id: str, body: TaskEditIn) -> TaskOut:
    return _out(scheduled_tasks.update(Scope(ctx.operator), task_id, _draft(body), body.version), _zone(ctx))


@route("DELETE", f"{BASE}/{{task_id}}", summary="Delete a scheduled task and its run history", tag=TAG, access=ADMIN,
       status=204, errors=(403, 404))
def delete_task(ctx, task_id: str) -> None:
    scheduled_tasks.delete(Scope(ctx.operator), task_id)


@route("POST", f"{BASE}/{{task_id}}/copy", summary="Copy a task as a template (inactive, name suffixed)", tag=TAG,
       access=ADMIN, response=TaskOut, status=201, errors=(403, 404))
def copy_task(ctx, task_id: str) -> TaskOut:
    return _out(scheduled_tasks.copy(Scope(ctx.operator), task_id), _zone(ctx))
