"""Operators' scheduled tasks (issue 11): run the occurrences due now, follow up Sent runs, retry failures."""

from __future__ import annotations

from collections import Counter

from chalicelib.domain import task_runner
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger

NAME = "scheduled_tasks"


def run(tick: Tick) -> list[task_runner.Step]:
    steps = task_runner.run_due(tick.started_at)
    if steps:
        outcomes = Counter(f"{s.action} {s.outcome}" if s.outcome else s.action for s in steps)
        logger.info("scheduled tasks handled", extra={"count": len(steps), "outcomes": dict(outcomes)})
    return steps
