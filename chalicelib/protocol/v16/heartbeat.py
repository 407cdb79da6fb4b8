"""Heartbeat: the most frequent message, answered without any storage access.

Last-seen comes from API Gateway's own @connections lastActiveAt while connected, and is stored
at $disconnect, so a heartbeat costs no write.
"""

from chalicelib import clock


def handle(ctx, request: dict) -> dict:
    return {"currentTime": clock.rfc3339(ctx.received_at)}
