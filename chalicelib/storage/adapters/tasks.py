"""The tasks port on DynamoDB: the scheduled-tasks table, its sparse sharded `due` index, claims and runs (ADR 0020)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import UTC, sortable
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound
from chalicelib.ports.paging import Page
from chalicelib.ports.tasks import Claim, LastRun, Retry, Run, Schedule, Settled, Task
from chalicelib.storage.adapters.calls import command_item
from chalicelib.storage.adapters.station_settings import deferral_write
from chalicelib.storage.errors import translated
from chalicelib.storage.models import TaskClaimItem, TaskItem, TaskRunItem
from chalicelib.storage.paging import query_page
from chalicelib.storage.writes import Writes, commit_each, set_or_remove

# The due index's partitions: a task lives in one, by a hash of its id. A few fixed shards keep any one index
# partition's writes low when many tasks share a minute, and cost the minute job one Query each.
DUE_SHARDS = 4
RUNS_KEPT = timedelta(days=180)
CLAIMS_KEPT = timedelta(days=35)


def _task_sk(task_id: str) -> str:
    return f"T#{task_id}"


def _task_pk(org_id: str, task_id: str) -> str:
    return f"{org_id}#{task_id}"


def due_shard(task_id: str) -> str:
    return _shard_key(zlib.crc32(task_id.encode()) % DUE_SHARDS)


def _shard_key(shard: int) -> str:
    """The due index's partition key of one shard (written by `due_shard`, read by `due`)."""
    return f"due#{shard}"


class DynamoTasks:
    def add(self, task: Task) -> None:
        item = TaskItem(task.org_id, _task_sk(task.task_id), rev=1, last_run=None, **_fields(task))
        try:
            with translated():
                item.save(condition=TaskItem.pk.does_not_exist())
        except ConditionFailed:
            raise AlreadyExists(f"task {task.task_id}") from None

    def get(self, org_id: str, task_id: str) -> Task | None:
        try:
            with translated():
                return _task(TaskItem.get(org_id, _task_sk(task_id), consistent_read=True))
        except NotFound:
            return None

    def list(self, org_id: str, limit: int, cursor: str | None = None, *, type: str | None = None,
             name: str | None = None, keep: Callable[[Task], bool] | None = None) -> Page[Task]:
        needle = name.casefold() if name else None

        def wanted(item: TaskItem) -> bool:
            body = json.loads(item.body)
            matches = (type is None or body["type"] == type) and (needle is None or needle in body["name"].casefold())
            return matches and (keep is None or keep(_task(item)))

        def query(**kwargs):
            return TaskItem.query(org_id, TaskItem.sk.startswith("T#"), **kwargs)

        with translated():
            found = query_page(query, limit, cursor, hash_key=("pk", org_id), keep=wanted)
        return Page([_task(item) for item in found.items], found.cursor)

    def save(self, task: Task) -> Task:
        # ConditionFailed: another write came first, or the task is gone
        return _update(task.org_id, task.task_id, _fields(task), TaskItem.rev == task.rev)

    def delete(self, org_id: str, task_id: str) -> None:
        try:
            with translated():
                TaskItem(org_id, _task_sk(task_id)).delete(condition=TaskItem.pk.exists())
        except ConditionFailed:
            raise NotFound(f"task {task_id}") from None
        # Its runs and claims share one partition: gone with it (TTL would remove them later anyway).
        pk = _task_pk(org_id, task_id)
        with translated():
            leftovers = list(TaskRunItem.query(pk, attributes_to_get=["pk", "sk"]))
            with TaskRunItem.batch_write() as batch:
                for item in leftovers:
                    batch.delete(item)

    def due(self, now: datetime, limit: int = 100) -> list[Task]:
        until = sortable(now)
        found: list[TaskItem] = []
        with translated():
            for shard in range(DUE_SHARDS):
                found += TaskItem.by_due.query(_shard_key(shard), TaskItem.due_at <= until, limit=limit)
        found.sort(key=lambda item: item.due_at)
        return [_task(item) for item in found[:limit]]

    def claim(self, org_id: str, task_id: str, occurrence: datetime, attempt: int, at: datetime) -> bool:
        try:
            with translated():
                _claim_item(org_id, task_id, occurrence, attempt, at).save(condition=TaskClaimItem.pk.does_not_exist())
        except ConditionFailed:
            return False
        return True

    def claim_all(self, claims: list[Claim]) -> list[bool]:
        with translated():
            return commit_each(claims, _claim_writes, items_per_unit=2)

    def run_settled(self, settled: list[Settled]) -> list[bool]:
        with translated():
            return commit_each(settled, _settled_writes, items_per_unit=5)

    def retry_all(self, retries: list[Retry]) -> list[bool]:
        with translated():
            return commit_each(retries, _retry_writes, items_per_unit=1)

    def add_runs(self, runs: list[Run]) -> list[bool]:
        with translated():
            return commit_each(runs, _run_writes, items_per_unit=2)

    def advance(self, org_id: str, task_id: str, expected_due: datetime, next_run_at: datetime | None) -> Task | None:
        due = _due(task_id, next_run_at)
        return self._move(org_id, task_id, expected_due, next_run_at=_text(next_run_at), retry_at=None, attempts=0, **due)

    def retry(self, org_id: str, task_id: str, expected_due: datetime, retry_at: datetime, attempts: int) -> Task | None:
        return self._move(org_id, task_id, expected_due, retry_at=_text(retry_at), attempts=attempts, **_due(task_id, retry_at))

    def _move(self, org_id: str, task_id: str, expected_due: datetime, **changes: Any) -> Task | None:
        try:
            return _update(org_id, task_id, changes, TaskItem.due_at == sortable(expected_due))
        except ConditionFailed:
            return None

    def add_run(self, run: Run) -> None:
        if self.add_runs([run])[0]:
            return
        if self.get(run.org_id, run.task_id) is None:
            raise NotFound(f"task {run.task_id}")
        raise AlreadyExists(f"run {run.run_id}")

    def update_run(self, run: Run) -> None:
        try:
            with translated():
                _run_item(run).save(condition=TaskRunItem.pk.exists())
        except ConditionFailed:
            raise NotFound(f"run {run.run_id}") from None
        try:
            with translated():
                TaskItem(run.org_id, _task_sk(run.task_id)).update(
                    actions=[TaskItem.last_run.set(_json(asdict(LastRun.of(run))))],
                    condition=TaskItem.last_run_id == run.run_id,
                )
        except ConditionFailed:
            pass  # a newer run is the task's last one by now (or the task is gone)

    def runs(self, org_id: str, task_id: str, limit: int, cursor: str | None = None) -> Page[Run]:
        pk = _task_pk(org_id, task_id)

        def query(**kwargs):
            return TaskRunItem.query(pk, TaskRunItem.sk.startswith("R#"), scan_index_forward=False, **kwargs)

        with translated():
            found = query_page(query, limit, cursor, hash_key=("pk", pk))
        return Page([_run(item) for item in found.items], found.cursor)


# --- the writes of one claim, retry or run (in a transaction of many) -----------------------------------------
def _claim_item(org_id: str, task_id: str, occurrence: datetime, attempt: int, at: datetime) -> TaskClaimItem:
    return TaskClaimItem(_task_pk(org_id, task_id), f"C#{sortable(occurrence)}#{attempt}", claimed_at=sortable(at),
                         expires=at + CLAIMS_KEPT)


def _claim_writes(writes: Writes, claim: Claim, retry: tuple[datetime, int] | None = None, **also: Any) -> None:
    """The claim item, and the task moved on (with `retry` = (retry_at, attempts) if set, and `also`)."""
    item = _claim_item(claim.org_id, claim.task_id, claim.occurrence, claim.attempt, claim.at)
    writes.save(item, condition=TaskClaimItem.pk.does_not_exist())
    retry_at, attempts = retry or (None, 0)
    changes = {"next_run_at": _text(claim.next_run_at), "retry_at": _text(retry_at), "attempts": attempts,
               **_due(claim.task_id, retry_at or claim.next_run_at), **also}
    writes.update(TaskItem(claim.org_id, _task_sk(claim.task_id)), _actions(changes),
                  condition=TaskItem.due_at == sortable(claim.expected_due))


def _settled_writes(writes: Writes, settled: Settled) -> None:
    """Claim, move with the run's summary, run, and the effect's own items: at most 5 items."""
    run = settled.run
    _claim_writes(writes, settled.claim, settled.retry, last_run=_json(asdict(LastRun.of(run))), last_run_id=run.run_id)
    writes.save(_run_item(run), condition=TaskRunItem.pk.does_not_exist())
    if settled.command is not None:
        writes.save(command_item(settled.command))  # a fresh id: no condition needed
    if settled.deferral is not None:
        deferral_write(writes, settled.deferral)


def _retry_writes(writes: Writes, retry: Retry) -> None:
    changes = {"retry_at": _text(retry.retry_at), "attempts": retry.attempts, **_due(retry.task_id, retry.retry_at)}
    writes.update(TaskItem(retry.org_id, _task_sk(retry.task_id)), _actions(changes),
                  condition=TaskItem.due_at == sortable(retry.expected_due))


def _run_writes(writes: Writes, run: Run) -> None:
    """The run and the task's summary of it, together (the summary never names a run that is not there)."""
    writes.save(_run_item(run), condition=TaskRunItem.pk.does_not_exist())
    summary = [TaskItem.last_run.set(_json(asdict(LastRun.of(run)))), TaskItem.last_run_id.set(run.run_id)]
    writes.update(TaskItem(run.org_id, _task_sk(run.task_id)), summary, condition=TaskItem.pk.exists())


def _actions(changes: dict[str, Any]) -> list:
    """Set (or remove, for None) the task's attributes, and count its revision."""
    return [*(set_or_remove(getattr(TaskItem, name), value) for name, value in changes.items()), TaskItem.rev.add(1)]


# --- item <-> value ----------------------------------------------------------------------------------------------
def _text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _json(value: dict) -> str:
    return json.dumps(value, default=_text, separators=(",", ":"))


def _due(task_id: str, due_at: datetime | None) -> dict[str, str | None]:
    if due_at is None:
        return {"due_shard": None, "due_at": None}
    return {"due_shard": due_shard(task_id), "due_at": sortable(due_at.astimezone(UTC))}


def _fields(task: Task) -> dict[str, Any]:
    """Every attribute a save writes: the operator's body, the runner's times, the due index keys."""
    body = {
        "task_id": task.task_id, "name": task.name, "type": task.type, "key": task.key, "value": task.value,
        "schedule": asdict(task.schedule), "active": task.active, "version": task.version,
        "created_at": _text(task.created_at), "updated_at": _text(task.updated_at),
    }
    return {
        "body": _json(body), "next_run_at": _text(task.next_run_at), "retry_at": _text(task.retry_at),
        "attempts": task.attempts, **_due(task.task_id, task.due_at),
    }


def _task(item: TaskItem) -> Task:
    body = json.loads(item.body)
    schedule = body["schedule"]
    last = json.loads(item.last_run) if item.last_run else None
    return Task(
        org_id=item.pk, task_id=body["task_id"], name=body["name"], type=body["type"], key=body["key"],
        value=body["value"], schedule=Schedule(**{**schedule, "weekdays": tuple(schedule["weekdays"])}),
        active=body["active"], created_at=_time(body["created_at"]), updated_at=_time(body["updated_at"]),
        next_run_at=_time(item.next_run_at), retry_at=_time(item.retry_at), attempts=int(item.attempts or 0),
        last_run=None if last is None else LastRun(**{**last, "occurrence": _time(last["occurrence"]), "at": _time(last["at"])}),
        rev=int(item.rev), version=body.get("version", 1),
    )


def _run_item(run: Run) -> TaskRunItem:
    return TaskRunItem(_task_pk(run.org_id, run.task_id), f"R#{run.run_id}", body=_json(asdict(run)),
                       expires=run.started_at + RUNS_KEPT)


def _run(item: TaskRunItem) -> Run:
    data = json.loads(item.body)
    for name in ("occurrence", "started_at", "finished_at"):
        data[name] = _time(data[name])
    return Run(**data)


def build() -> DynamoTasks:
    return DynamoTasks()


def _update(org_id: str, task_id: str, changes: dict[str, Any], condition) -> Task:
    """Set (or remove, for None) the task's attributes and count its revision, on `condition`."""
    item = TaskItem(org_id, _task_sk(task_id))
    with translated():
        item.update(actions=_actions(changes), condition=condition)
    return _task(item)
