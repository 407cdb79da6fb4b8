"""Close the calls whose charger did not answer before their deadline as TimedOut (the sparse `due` index)."""

from __future__ import annotations

from chalicelib.domain import commands
from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger

NAME = "command_timeouts"
# Pages of the index per tick: a backlog beyond this waits for the next minute.
BATCH = 100
MAX_BATCHES = 10


def run(tick: Tick) -> int:
    """How many calls this tick closed."""
    closed = 0
    for _ in range(MAX_BATCHES):
        due = commands.overdue(tick.started_at, BATCH)
        closed += sum(1 for call in due if commands.time_out(call) is not None)
        if len(due) < BATCH:
            break
    if closed:
        logger.info("commands timed out", extra={"count": closed})
    return closed
