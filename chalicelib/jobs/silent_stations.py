"""Disconnect the stations silent for more than twice their heartbeat interval (ADR 0022)."""

from __future__ import annotations

from collections import Counter

from chalicelib.domain import silence
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger
from chalicelib.protocol.replies import after_failure

NAME = "silent_stations"
# Due checks per page of the index, and pages per tick: a backlog beyond waits for the next minute.
BATCH = 100
MAX_BATCHES = 10


def run(tick: Tick) -> Counter:
    """How many due connections were found alive, silent and gone."""
    outcomes: Counter = Counter()
    stuck: set[str] = set()  # a failed check stays due: the next page must not bring it again this tick
    for _ in range(MAX_BATCHES):
        limit = BATCH + len(stuck)
        due = silence.due(tick.started_at, limit)
        fresh = [watched for watched in due if watched.connection_id not in stuck]
        for watched in fresh:
            outcome = _check(watched, tick)
            outcomes[outcome] += 1
            if outcome == "failed":
                stuck.add(watched.connection_id)
        if len(due) < limit or not fresh:
            break
    if outcomes:
        logger.info("silence checks", extra=dict(outcomes))
    return outcomes


def _check(watched, tick: Tick) -> str:
    try:
        verdict = silence.check(watched, tick.started_at)
    except Exception:  # noqa: BLE001 - one connection's failure (a throttled GET) must not stop the others
        logger.warning("silence check failed", extra={"station_id": watched.station_id, "connection_id": watched.connection_id},
                       exc_info=True)
        return "failed"  # still due: checked again next minute
    for command in verdict.failed:
        after_failure(command)
    return verdict.outcome
