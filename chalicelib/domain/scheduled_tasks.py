"""Operators' scheduled tasks (the manual's "Schedule tasks"): create, read, list, edit, copy, (de)activate, delete.

Admins only (the API's route table refuses basic operators). An admin sees a task, and may key one, only when its
key - a station, a charging user or a user group - is inside their domain. The next run is computed here
(`schedules.py`) and kept in the tasks port's due index, where the minute job finds it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib import clock
from chalicelib.domain import schedules
from chalicelib.domain.charging_users import USER_GROUP_MISSING
from chalicelib.domain.errors import STATION_MISSING, USER_MISSING, Conflict, Invalid, NotFound
from chalicelib.domain.user_scope import Scope, user_key
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.errors import NotFound as Missing
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import (
    KINDS,
    MAX_CURRENT,
    MONTHLY,
    ORGANIZATION_ZONE,
    TIME_ZONES,
    USER_ACTIVATION,
    USER_GROUP_ACTIVATION,
    WEEKDAYS,
    WEEKLY,
    Schedule,
    Task,
)

TASK_MISSING = "Scheduled task not found."
TASK_CHANGED = "The scheduled task was changed by another operator. Refresh the view and try again."
COPY_SUFFIX = " (copy)"
MIN_AMPERES, MAX_AMPERES = 6, 80
MAX_TASK_ID = 64
MAX_NAME = 100
SAVE_TRIES = 3  # a tick may advance the task between our read and our save: read again

# type -> the key's field and the value's field
KEY_FIELD = {MAX_CURRENT: "station_id", USER_ACTIVATION: "charging_user_id", USER_GROUP_ACTIVATION: "user_group_id"}
VALUE_FIELD = {MAX_CURRENT: "amperes", USER_ACTIVATION: "active", USER_GROUP_ACTIVATION: "active"}


@dataclass(frozen=True)
class Draft:
    """What an operator sets (the API's body, already shape-checked)."""

    name: str
    type: str
    key: dict[str, str]
    value: dict
    schedule: Schedule
    active: bool


def max_current_error(org_id: str, station_id: str, amperes: float) -> str | None:
    """Why a station cannot be limited to `amperes`, or None: 6 A up to what its sockets take (80 A when unknown)."""
    from chalicelib.domain import task_effects  # the runner's rule (what it will send must pass it too)

    return task_effects.max_current_error(org_id, station_id, amperes)


# --- reading ---------------------------------------------------------------------------------------------------
def get(scope: Scope, task_id: str) -> Task:
    task = store().tasks.get(scope.org_id, task_id) if 0 < len(task_id) <= MAX_TASK_ID else None
    if task is None or not Keys(scope).visible(task):
        raise NotFound(TASK_MISSING)
    return task


def listing(scope: Scope, limit: int, cursor: str | None, type: str | None = None, name: str | None = None) -> Page[Task]:
    keys = Keys(scope)
    return store().tasks.list(scope.org_id, limit, cursor, type=type, name=name or None, keep=keys.visible)


# --- writing ---------------------------------------------------------------------------------------------------
def create(scope: Scope, draft: Draft, now: datetime | None = None) -> Task:
    now = now or clock.now()
    draft = _check(scope, draft)
    task = Task(scope.org_id, new_task_id(now), draft.name, draft.type, dict(draft.key), dict(draft.value),
                draft.schedule, draft.active, now, now)
    task = _scheduled(task, now, zone_of(scope.org_id))
    store().tasks.add(task)
    return store().tasks.get(scope.org_id, task.task_id) or task


def update(scope: Scope, task_id: str, draft: Draft, version: int | None = None, now: datetime | None = None) -> Task:
    draft = _check(scope, draft)

    def change(task: Task, at: datetime) -> Task:
        if version is not None and version != task.version:
            raise Conflict(TASK_CHANGED)
        return replace(task, name=draft.name, type=draft.type, key=dict(draft.key), value=dict(draft.value),
                       schedule=draft.schedule, active=draft.active)

    return _edit(scope, task_id, change, now)


def set_active(scope: Scope, task_ids: list[str], active: bool, now: datetime | None = None) -> list[Task]:
    """Activate or deactivate many tasks: every one must be found first, or none changes."""
    for task_id in task_ids:
        get(scope, task_id)
    return [_edit(scope, task_id, lambda task, at: replace(task, active=active), now) for task_id in dict.fromkeys(task_ids)]


def copy(scope: Scope, task_id: str, now: datetime | None = None) -> Task:
    """A copy as a template (the manual's "copy task"): inactive, its name suffixed, for the operator to edit."""
    source = get(scope, task_id)
    draft = Draft(_copy_name(source.name), source.type, source.key, source.value, source.schedule, active=False)
    return create(scope, draft, now)


def delete(scope: Scope, task_id: str) -> None:
    task = get(scope, task_id)
    try:
        store().tasks.delete(task.org_id, task.task_id)
    except Missing as exc:
        raise NotFound(TASK_MISSING) from exc


def rezone(org_id: str, now: datetime | None = None) -> int:
    """The organization's time zone changed: tasks scheduled in local time get their next run again. How many."""
    now = now or clock.now()
    zone = zone_of(org_id)
    changed, cursor = 0, None
    while True:
        page = store().tasks.list(org_id, 100, cursor, keep=lambda task: task.schedule.time_zone == ORGANIZATION_ZONE)
        for task in page.items:
            _save_retrying(org_id, task.task_id, lambda current, at: current, now, zone=zone, force=True)
            changed += 1
        cursor = page.cursor
        if cursor is None:
            return changed


def _edit(scope: Scope, task_id: str, change: Callable[[Task, datetime], Task], now: datetime | None) -> Task:
    get(scope, task_id)
    return _save_retrying(scope.org_id, task_id, change, now or clock.now(), zone=zone_of(scope.org_id))


def _save_retrying(org_id: str, task_id: str, change, now: datetime, *, zone: tzinfo, force: bool = False) -> Task:
    """Read, change, save under the store's revision; a tick that moved the task meanwhile makes us read again."""
    for _ in range(SAVE_TRIES):
        current = store().tasks.get(org_id, task_id)
        if current is None:
            raise NotFound(TASK_MISSING)
        wanted = change(current, now)
        if wanted == current and not force:
            return current
        edited = force or (wanted.schedule, wanted.active) != (current.schedule, current.active)
        wanted = _scheduled(wanted, now, zone) if edited else wanted
        if not force:
            wanted = replace(wanted, version=current.version + 1, updated_at=now)
        try:
            return store().tasks.save(wanted)
        except ConditionFailed:
            continue
    raise Conflict(TASK_CHANGED)


def _scheduled(task: Task, now: datetime, zone: tzinfo) -> Task:
    """The task with its next run from `now` (none when inactive) and no pending retry."""
    next_run = schedules.next_occurrence(task.schedule, now, schedule_zone(task.schedule, zone)) if task.active else None
    return replace(task, next_run_at=next_run, retry_at=None, attempts=0)


# --- validation ------------------------------------------------------------------------------------------------
def _check(scope: Scope, draft: Draft) -> Draft:
    """Everything the shape of the body cannot say (nothing is saved when this raises); the draft as it is kept."""
    if draft.type not in KEY_FIELD:
        raise Invalid(f"Unknown task type: {draft.type}.")
    key_field, value_field = KEY_FIELD[draft.type], VALUE_FIELD[draft.type]
    if set(draft.key) != {key_field} or not isinstance(draft.key[key_field], str):
        raise Invalid(f"The key of a {draft.type} task is {{\"{key_field}\": ...}}.")
    if set(draft.value) != {value_field}:
        raise Invalid(f"The value of a {draft.type} task is {{\"{value_field}\": ...}}.")
    _check_schedule(draft.schedule)
    Keys(scope).require(draft.type, draft.key[key_field])
    if draft.type == MAX_CURRENT:
        amperes = draft.value["amperes"]
        if isinstance(amperes, bool) or not isinstance(amperes, int | float):
            raise Invalid("Max current must be a number of amperes.")
        error = max_current_error(scope.org_id, draft.key[key_field], amperes)
        if error:
            raise Invalid(error)
    elif not isinstance(draft.value["active"], bool):
        raise Invalid("Active must be true or false.")
    if draft.type == USER_ACTIVATION:  # a charging user's id is their lower-cased e-mail address
        return replace(draft, key={key_field: user_key(draft.key[key_field])})
    return draft


def _check_schedule(schedule: Schedule) -> None:
    """The API's schema says most of this already; the domain holds it for every caller."""
    if schedule.kind not in KINDS:
        raise Invalid(f"Unknown schedule: {schedule.kind}.")
    if not (0 <= schedule.hour <= 23 and 0 <= schedule.minute <= 59):
        raise Invalid("Hour must be 0-23 and minute 0-59.")
    if schedule.time_zone not in TIME_ZONES:
        raise Invalid('The time zone of a schedule is "UTC" or "organization".')
    if any(day not in WEEKDAYS for day in schedule.weekdays):
        raise Invalid("Weekdays are Mon, Tue, Wed, Thu, Fri, Sat and Sun.")
    if schedule.day_of_month is not None and not 1 <= schedule.day_of_month <= 31:
        raise Invalid("A monthly schedule needs a day of month (1-31).")
    if schedule.kind == WEEKLY and not schedule.weekdays:
        raise Invalid("A weekly schedule needs at least one weekday.")
    if schedule.kind == MONTHLY and schedule.day_of_month is None:
        raise Invalid("A monthly schedule needs a day of month (1-31).")


class Keys:
    """Which task keys an operator sees: stations, charging users and user groups of their domain (read once)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._seen: dict[tuple[str, str], bool] = {}

    def visible(self, task: Task) -> bool:
        key_field = KEY_FIELD.get(task.type)
        key = task.key.get(key_field) if key_field else None
        if key is None:
            return self.scope.operator.is_org_root
        return self._sees(task.type, key, missing_is_visible=self.scope.operator.is_org_root)

    def require(self, type: str, key: str) -> None:
        if not self._sees(type, key, missing_is_visible=False):
            raise NotFound({MAX_CURRENT: STATION_MISSING, USER_ACTIVATION: USER_MISSING}.get(type, USER_GROUP_MISSING))

    def _sees(self, type: str, key: str, missing_is_visible: bool) -> bool:
        found = self._seen.get((type, key))
        if found is None:
            found = self._seen[(type, key)] = self._lookup(type, key)
        return found if found is not None else missing_is_visible

    def _lookup(self, type: str, key: str) -> bool | None:
        """True: in the domain; False: outside it; None: no such thing (a key deleted since)."""
        scope, users = self.scope, store().users
        if not 0 < len(key) <= 254:
            return None
        if type == MAX_CURRENT:
            if scope.visible_stations([key]):
                return True
            return False if store().estate.get_station(scope.org_id, key) is not None else None
        item = users.user(scope.org_id, user_key(key)) if type == USER_ACTIVATION else users.user_group(scope.org_id, key)
        return None if item is None else scope.sees(item)


# --- time -------------------------------------------------------------------------------------------------------
def zone_of(org_id: str) -> tzinfo:
    """The organization's IANA time zone (UTC when unset or unknown)."""
    organization = store().operators.organization(org_id)
    name = organization.timezone if organization is not None and organization.timezone else "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def schedule_zone(schedule: Schedule, organization_zone: tzinfo) -> tzinfo:
    """The zone a schedule's hour and minute are in: UTC, or the organization's."""
    return organization_zone if schedule.time_zone == ORGANIZATION_ZONE else UTC


def new_task_id(now: datetime) -> str:
    """Sorts by creation time (the list's order), never collides."""
    return now.astimezone(UTC).strftime("%Y%m%d%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


def _copy_name(name: str) -> str:
    return name[: MAX_NAME - len(COPY_SUFFIX)] + COPY_SUFFIX
