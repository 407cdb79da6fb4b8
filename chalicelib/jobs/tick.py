"""The tick itself: a debug line that EventBridge fired (what the scheduled hook did before jobs existed)."""

from __future__ import annotations

from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger

NAME = "tick"


def run(tick: Tick) -> None:
    logger.debug("tick", extra={"time": tick.scheduled_at.isoformat()})
