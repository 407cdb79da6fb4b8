"""The minute job for stuck sessions: probe the silent ones, soft-stop those the probe did not wake (ADR 0017)."""

from __future__ import annotations

from chalicelib.jobs.runner import Tick
from chalicelib.observability import logger

NAME = "stuck_transactions"


def run(tick: Tick) -> dict:
    from chalicelib.domain import stuck

    done = stuck.sweep(tick.started_at)
    if done:
        logger.info("stuck sessions swept", extra={"job": NAME, **{f"sessions_{k}": v for k, v in done.items()}})
    return dict(done)
