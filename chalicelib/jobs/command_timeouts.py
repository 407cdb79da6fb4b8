"""Close the calls whose charger did not answer before their deadline as TimedOut (the sparse `due` index)."""

from __future__ import annotations

from chalicelib.domain import commands
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger
from chalicelib.protocol.replies import after_failure

NAME = "command_timeouts"
# Pages of the index per tick: a backlog beyond this waits for the next minute.
BATCH = 100
MAX_BATCHES = 10


def run(tick: Tick) -> int:
    """How many calls this tick closed."""
    closed = 0
    for _ in range(MAX_BATCHES):
        due = commands.overdue(tick.started_at, BATCH)
        for call in due:
            timed_out = commands.time_out(call)
            if timed_out is not None:
                closed += 1
                after_failure(timed_out)
        if len(due) < BATCH:
            break
    if closed:
        logger.info("commands timed out", extra={"count": closed})
    return closed
