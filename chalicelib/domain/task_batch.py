"""The scheduled-task executions of one batch of the minute tick, together (docs/adr/0026): their claims in a few
transactions, the stations and deferred limits their limits need in a few reads, and the Offline call records
and deferrals of the stations that are away in a few writes: a handful of requests for 100 due tasks.

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


def claim(executions: list[Execution], now: datetime) -> list[bool]:
    """Claim each execution and move its task on, atomically per execution (see `Tasks.claim_all`)."""
    return store().tasks.claim_all([
        Claim(e.task.org_id, e.task.task_id, e.occurrence, e.attempt, now, e.task.due_at, e.following)
        for e in executions
    ])  # fmt: skip


def offline_limits(executions: list[Execution], failed: str) -> dict[int, Effect]:
    """By index in `executions`: the effect of each limit for a station read as not connected (Deferred,
    written here), or missing (Failed), when it is the batch's only limit for that station. A failure of
    the batch's reads leaves them all to the single path; a failure of its writes fails them (`failed` is
    the text: a run to retry)."""
    try:
        prepared = _prepare(_alone(executions))
    except Exception:  # noqa: BLE001 - the single path still runs them, one by one
        logger.exception("scheduled limits not read together")
        return {}
    effects = {i: p for i, p in prepared.items() if isinstance(p, Effect)}
    offline = {i: p for i, p in prepared.items() if isinstance(p, OfflineLimit)}
    try:
        effects.update(_write(offline))
    except Exception:  # noqa: BLE001 - not known which were written: each run fails and is retried
        logger.exception("scheduled limits not written together", extra={"count": len(offline)})
        effects.update({i: Effect(FAILED, failed) for i in offline})
    return effects


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


def _write(offline: dict[int, OfflineLimit]) -> dict[int, Effect]:
    if not offline:
        return {}
    items = list(offline.items())
    store().calls.add_closed([limit.command for _, limit in items])
    replaced = store().station_settings.defer_all([limit.deferral for _, limit in items])
    logger.info("commands not sent: stations offline, limits kept for their boot", extra={"count": len(items)})
    return {index: task_effects.deferred(limit.what, old) for (index, limit), old in zip(items, replaced, strict=True)}
