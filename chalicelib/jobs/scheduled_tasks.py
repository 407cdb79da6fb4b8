"""Operators' scheduled tasks (issue 11): run the occurrences due now, follow up Sent runs, retry failures."""

from __future__ import annotations

from collections import Counter

from chalicelib.domain import task_runner
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger
from chalicelib.ports.registry import store

NAME = "scheduled_tasks"
# Threads for the runs of one batch on DynamoDB (I/O bound: each run is a few round trips). The in-memory
# store (tests, single-threaded by design) runs them one after the other.
WORKERS = 16


def run(tick: Tick) -> list[task_runner.Step]:
    workers = WORKERS if store().kind == "dynamodb" else 1
    steps = task_runner.run_due(tick.started_at, workers=workers)
    if steps:
        outcomes = Counter(f"{s.action} {s.outcome}" if s.outcome else s.action for s in steps)
        logger.info("scheduled tasks handled", extra={"count": len(steps), "outcomes": dict(outcomes)})
    return steps
