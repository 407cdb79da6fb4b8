"""Work EventBridge fires every minute (offline detection, command time-outs, operators' tasks)."""

from __future__ import annotations

from chalicelib.observability import logger


def every_minute(event, api) -> None:
    # Scheduled tasks and command time-outs arrive with their own issues; the hook is wired now.
    logger.debug("tick", extra={"time": event.to_dict().get("time")})
