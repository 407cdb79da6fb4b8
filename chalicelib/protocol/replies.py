"""Answers to our calls: every CALLRESULT and CALLERROR a charger sends arrives here, and only here.

Issue 9 completes the pending call (found by station and message id, the answer validated with its
action's module under protocol/v16/outbound/). Until then the answer is logged, structured.
"""

from __future__ import annotations

from chalicelib.observability import logger
from chalicelib.protocol import frames
from chalicelib.protocol.context import StationContext


def received(ctx: StationContext, frame: frames.Frame) -> None:
    """A charger answered one of our calls (frame.kind is CALL_RESULT or CALL_ERROR)."""
    if frame.kind == frames.CALL_RESULT:
        logger.info(
            "call answered", extra={"station_id": ctx.station_id, "message_id": frame.message_id, "kind": "CALLRESULT"}
        )
        return
    logger.info(
        "call refused by charger",
        extra={
            "station_id": ctx.station_id,
            "message_id": frame.message_id,
            "kind": "CALLERROR",
            "error_code": frame.error_code,
            "error_description": frame.error_description,
            "error_details": frame.payload,
        },
    )
