"""Minute job: firmware updates that failed to go out or went quiet end Failed, then campaigns move on."""

from __future__ import annotations

from chalicelib.observability import logger

NAME = "firmware_timeouts"


def run(tick) -> dict:
    from chalicelib.domain import firmware_campaigns, firmware_updates

    failed = firmware_updates.expire(tick.started_at)
    finished = firmware_campaigns.advance_all(tick.started_at)
    if failed or finished:
        logger.info("firmware job", extra={"updates_failed": failed, "campaigns_finished": finished})
    return {"updates_failed": failed, "campaigns_finished": finished}
