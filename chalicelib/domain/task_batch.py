"""The scheduled-task executions of one batch of the minute tick, together (docs/adr/0026): their claims in a few
transactions, and the stations and deferred limits their limits need in a few reads, so that the effect of a
limit for a station that is away is known before anything is written.

What cannot be batched stays with the task runner's single path: a limit for a connected station (its call
goes out on the station's socket and is followed to its answer), a station limited by two tasks of one batch
(their limits must act in occurrence order), charging users and user groups (their own ports' writes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import task_effects
from chalicelib.domain.errors import STATION_MISSING
from chalicelib.domain.task_effects import Effect, OfflineLimit
from chalicelib.observability import logger
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import FAILED, MAX_CURRENT, Claim, Task

MAX_STATION_ID = 64


@dataclass(frozen=True)
class Execution:
    """One attempt of one occurrence of a task, and the next run its claim moves the task to."""

    task: Task
    occurrence: datetime
    attempt: int
    following: datetime | None


def claim_of(execution: Execution, now: datetime) -> Claim:
    task = execution.task
    return Claim(task.org_id, task.task_id, execution.occurrence, execution.attempt, now, task.due_at, execution.following)


def claim(executions: list[Execution], now: datetime) -> list[bool]:
    """Claim each execution and move its task on, atomically per execution (see `Tasks.claim_all`)."""
    return store().tasks.claim_all([claim_of(e, now) for e in executions])


def prepared(executions: list[Execution]) -> dict[int, tuple[Effect, OfflineLimit | None]]:
    """By index in `executions`: the effect, known before any write, of each limit for a station read as not
    connected (Deferred, with the writes it needs) or missing (Failed), when it is the batch's only limit for
    that station. Read with two BatchGetItem per 100 limits (stations, deferred limits). A failure of these
    reads leaves every execution to the single path."""
    try:
        found = _prepare(_alone(executions))
    except Exception:  # noqa: BLE001 - the single path still runs them, one by one
        logger.exception("scheduled limits not read together")
        return {}
    return {i: (p, None) if isinstance(p, Effect) else (task_effects.deferred(p.what, p.deferral.seen), p)
            for i, p in found.items()}


def _alone(executions: list[Execution]) -> list[tuple[int, Execution]]:
    """The limits (with their index) of stations no other execution of the batch limits."""
    limits = [(i, e, e.task.key.get("station_id")) for i, e in enumerate(executions) if e.task.type == MAX_CURRENT]
    same = Counter((e.task.org_id, station_id) for _, e, station_id in limits)
    return [(i, e) for i, e, station_id in limits if isinstance(station_id, str)
            and 0 < len(station_id) <= MAX_STATION_ID and same[(e.task.org_id, station_id)] == 1]


def _prepare(limits: list[tuple[int, Execution]]) -> dict[int, Effect | OfflineLimit]:
    by_org: dict[str, list[tuple[int, Execution]]] = {}
    for index, execution in limits:
        by_org.setdefault(execution.task.org_id, []).append((index, execution))
    prepared: dict[int, Effect | OfflineLimit] = {}
    templates: dict = {}
    for org_id, items in by_org.items():
        stations = store().estate.stations_online(org_id, [e.task.key["station_id"] for _, e in items])
        away = [s for s, (_, connection_id) in stations.items() if connection_id is None]
        seen = store().station_settings.deferred_limits(org_id, away) if away else {}
        for index, execution in items:
            station_id = execution.task.key["station_id"]
            station, connection_id = stations.get(station_id, (None, None))
            if station is None:
                prepared[index] = Effect(FAILED, STATION_MISSING)
            elif connection_id is None:
                prepared[index] = task_effects.max_current_offline(
                    station, execution.task.value["amperes"], execution.task.task_id, seen.get(station_id), templates)
    return prepared
