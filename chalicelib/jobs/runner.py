"""Run every job of the minute tick, each isolated from the others, and log its outcome and duration."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from chalicelib import clock
from chalicelib.observability import TASK_FAILED, count, logger, traced

# The jobs of the minute tick, in the order they run: modules of chalicelib.jobs, imported when run
# (a job's dependencies cost nothing to the functions that never tick).
JOBS = ("tick", "command_timeouts", "stuck_transactions", "firmware_timeouts", "scheduled_tasks")
# The system's own upkeep: silent stations disconnected, the live counters recounted (a slice a minute).
JOBS += ("silent_stations", "recount")


@dataclass(frozen=True)
class Tick:
    """One firing of the schedule: when EventBridge meant it, and when it ran."""

    scheduled_at: datetime
    started_at: datetime


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Tick], object]


@dataclass(frozen=True)
class Outcome:
    job: str
    outcome: str  # "ok" or "failed"
    duration_ms: float


def every_minute(event: dict) -> list[Outcome]:
    """The scheduled Lambda's work: every job of JOBS for EventBridge's `event`."""
    now = clock.now()
    tick = Tick(_scheduled_at(event) or now, now)
    return run_all((_load(name) for name in JOBS), tick)


def run_all(jobs: Iterable[Job], tick: Tick, timer: Callable[[], float] = time.perf_counter) -> list[Outcome]:
    """Run each job; one that raises is logged and the next one still runs."""
    return [_run_one(job, tick, timer) for job in jobs]


def _run_one(job: Job, tick: Tick, timer: Callable[[], float]) -> Outcome:
    start = timer()
    try:
        with traced(f"job {job.name}", job=job.name):
            job.run(tick)
        outcome = "ok"
    except Exception:  # noqa: BLE001 - a failing job must not stop the others
        outcome = "failed"
        count(TASK_FAILED)
        logger.exception("job raised", extra={"job": job.name})
    result = Outcome(job.name, outcome, round((timer() - start) * 1000, 1))
    log = logger.info if outcome == "ok" else logger.error
    log("job finished", extra={"job": result.job, "outcome": result.outcome, "duration_ms": result.duration_ms})
    return result


def _load(name: str) -> Job:
    def run(tick: Tick) -> object:
        # Imported here, so that a job module failing to import is that job's failure alone.
        return import_module(f"chalicelib.jobs.{name}").run(tick)

    return Job(name, run)


def _scheduled_at(event: dict) -> datetime | None:
    text = event.get("time")
    try:
        return clock.parse(text) if text else None
    except ValueError:
        return None
