"""The tasks port in memory: tasks, claims and runs in dicts; the due index is a view of the tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chalicelib.memstore.paging import page
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound
from chalicelib.ports.paging import Page
from chalicelib.ports.tasks import Claim, LastRun, Retry, Run, Settled, Task


class MemoryTasks:
    def __init__(self, state) -> None:
        self._state = state  # the calls and station settings a settled run writes too
        self.items: dict[tuple[str, str], Task] = state.collection("tasks.items")
        self.claims: dict[tuple[str, str, datetime, int], datetime] = state.collection("tasks.claims")
        self.history: dict[tuple[str, str], dict[str, Run]] = state.collection("tasks.runs")

    def add(self, task: Task) -> None:
        if (task.org_id, task.task_id) in self.items:
            raise AlreadyExists(f"task {task.task_id}")
        self.items[(task.org_id, task.task_id)] = replace(task, rev=1)

    def get(self, org_id: str, task_id: str) -> Task | None:
        return self.items.get((org_id, task_id))

    def list(self, org_id: str, limit: int, cursor: str | None = None, *, type: str | None = None,
             name: str | None = None, keep: Callable[[Task], bool] | None = None) -> Page[Task]:
        rows = [(task_id, task) for (org, task_id), task in self.items.items() if org == org_id]
        needle = name.casefold() if name else None

        def wanted(task: Task) -> bool:
            matches = (type is None or task.type == type) and (needle is None or needle in task.name.casefold())
            return matches and (keep is None or keep(task))

        return page(rows, org_id, limit, cursor, keep=wanted)

    def save(self, task: Task) -> Task:
        current = self.get(task.org_id, task.task_id)
        if current is None or current.rev != task.rev:
            raise ConditionFailed(f"task {task.task_id}")
        saved = self.items[(task.org_id, task.task_id)] = replace(task, rev=task.rev + 1, last_run=current.last_run)
        return saved

    def delete(self, org_id: str, task_id: str) -> None:
        if self.items.pop((org_id, task_id), None) is None:
            raise NotFound(f"task {task_id}")
        self.history.pop((org_id, task_id), None)
        for claim in [c for c in self.claims if c[:2] == (org_id, task_id)]:
            del self.claims[claim]

    def due(self, now: datetime, limit: int = 100) -> list[Task]:
        found = [task for task in self.items.values() if task.due_at is not None and task.due_at <= now]
        found.sort(key=lambda task: task.due_at)
        return found[:limit]

    def claim(self, org_id: str, task_id: str, occurrence: datetime, attempt: int, at: datetime) -> bool:
        key = (org_id, task_id, occurrence, attempt)
        if key in self.claims:
            return False
        self.claims[key] = at
        return True

    def claim_all(self, claims: list[Claim]) -> list[bool]:
        return [self._claim_and_move(claim) for claim in claims]

    def _claim_and_move(self, claim: Claim) -> bool:
        key = (claim.org_id, claim.task_id, claim.occurrence, claim.attempt)
        current = self.get(claim.org_id, claim.task_id)
        if key in self.claims or current is None or current.due_at != claim.expected_due:
            return False
        self.claims[key] = claim.at
        self.advance(claim.org_id, claim.task_id, claim.expected_due, claim.next_run_at)
        return True

    def run_settled(self, settled: list[Settled]) -> list[bool]:
        return [self._settle(one) for one in settled]

    def _settle(self, settled: Settled) -> bool:
        from chalicelib.memstore.calls import MemoryCalls
        from chalicelib.memstore.station_settings import MemoryStationSettings

        settings = MemoryStationSettings(self._state)
        deferral = settled.deferral
        if deferral is not None and settings.deferred.get((deferral.org_id, deferral.station_id)) != deferral.seen:
            return False
        if not self._claim_and_move(settled.claim):
            return False
        claim = settled.claim
        if settled.retry is not None:
            self.retry(claim.org_id, claim.task_id, claim.next_run_at, *settled.retry)
        self.add_run(settled.run)
        if settled.command is not None:
            MemoryCalls(self._state).add(settled.command)
        if deferral is not None:
            settings.defer_max_current(deferral.org_id, deferral.station_id, deferral.amperes, deferral.since, deferral.task_id)
        return True

    def retry_all(self, retries: list[Retry]) -> list[bool]:
        return [self.retry(r.org_id, r.task_id, r.expected_due, r.retry_at, r.attempts) is not None for r in retries]

    def add_runs(self, runs: list[Run]) -> list[bool]:
        added = []
        for run in runs:
            try:
                self.add_run(run)
            except NotFound:
                added.append(False)
            else:
                added.append(True)
        return added

    def advance(self, org_id: str, task_id: str, expected_due: datetime, next_run_at: datetime | None) -> Task | None:
        return self._move(org_id, task_id, expected_due, next_run_at=next_run_at, retry_at=None, attempts=0)

    def retry(self, org_id: str, task_id: str, expected_due: datetime, retry_at: datetime, attempts: int) -> Task | None:
        return self._move(org_id, task_id, expected_due, retry_at=retry_at, attempts=attempts)

    def _move(self, org_id: str, task_id: str, expected_due: datetime, **changes) -> Task | None:
        current = self.get(org_id, task_id)
        if current is None or current.due_at != expected_due:
            return None
        moved = self.items[(org_id, task_id)] = replace(current, rev=current.rev + 1, **changes)
        return moved

    def add_run(self, run: Run) -> None:
        task = self.get(run.org_id, run.task_id)
        if task is None:
            raise NotFound(f"task {run.task_id}")
        runs = self.history.setdefault((run.org_id, run.task_id), {})
        if run.run_id in runs:
            raise AlreadyExists(f"run {run.run_id}")
        runs[run.run_id] = run
        self.items[(run.org_id, run.task_id)] = replace(task, last_run=LastRun.of(run))

    def update_run(self, run: Run) -> None:
        task = self.get(run.org_id, run.task_id)
        runs = self.history.get((run.org_id, run.task_id), {})
        if task is None or run.run_id not in runs:
            raise NotFound(f"run {run.run_id}")
        runs[run.run_id] = run
        if task.last_run is not None and task.last_run.run_id == run.run_id:
            self.items[(run.org_id, run.task_id)] = replace(task, last_run=LastRun.of(run))

    def runs(self, org_id: str, task_id: str, limit: int, cursor: str | None = None) -> Page[Run]:
        rows = self.history.get((org_id, task_id), {}).items()
        return page(rows, f"{org_id}#{task_id}", limit, cursor, descending=True)


def build(state) -> MemoryTasks:
    return MemoryTasks(state)
