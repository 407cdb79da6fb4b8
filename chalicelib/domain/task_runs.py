"""A scheduled task's run history as admins read it: only tasks whose station, charging user or user group is in
their domain (the rule of the task itself); anything else is "not found", as a task of another organization."""

from __future__ import annotations

from chalicelib.domain import station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import NotFound
from chalicelib.domain.user_scope import Scope
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import MAX_CURRENT, USER_ACTIVATION, USER_GROUP_ACTIVATION, Run, Task

TASK_MISSING = "Scheduled task not found."


def runs(principal: Principal, task_id: str, limit: int, cursor: str | None) -> Page[Run]:
    """Newest first; admins only ("Access denied." for basic operators, as for every scheduled-task route)."""
    principal.require_admin()
    task = store().tasks.get(principal.org_id, task_id) if 0 < len(task_id) <= 64 else None
    if task is None or not in_domain(principal, task):
        raise NotFound(TASK_MISSING)
    return store().tasks.runs(task.org_id, task.task_id, limit, cursor)


def in_domain(principal: Principal, task: Task) -> bool:
    """The task's station, user or group is in the operator's domain; one that is gone, for admins of the whole
    organization only (they still see what the task did before)."""
    if task.type == MAX_CURRENT:
        station_id = task.key.get("station_id", "")
        if not station_id or store().estate.get_station(task.org_id, station_id) is None:
            return principal.is_org_root
        try:
            station_view.visible(principal, station_id)
        except NotFound:
            return False
        return True
    users, key = store().users, next(iter(task.key.values()), "")
    if task.type == USER_ACTIVATION:
        item = users.user(task.org_id, key) if key else None
    elif task.type == USER_GROUP_ACTIVATION:
        item = users.user_group(task.org_id, key) if key else None
    else:
        return False
    return principal.is_org_root if item is None else Scope(principal).sees(item)
