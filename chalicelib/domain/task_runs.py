"""A scheduled task's run history as admins read it: only tasks whose station, charging user or user group is in
their domain (the rule of the task itself); anything else is "not found", as a task of another organization."""

from __future__ import annotations

from chalicelib.domain import scheduled_tasks
from chalicelib.domain.access import Principal
from chalicelib.domain.user_scope import Scope
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import Run


def runs(principal: Principal, task_id: str, limit: int, cursor: str | None) -> Page[Run]:
    """Newest first; admins only ("Access denied." for basic operators, as for every scheduled-task route)."""
    principal.require_admin()
    task = scheduled_tasks.get(Scope(principal), task_id)
    return store().tasks.runs(task.org_id, task.task_id, limit, cursor)
