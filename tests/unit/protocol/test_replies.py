"""Answers to our calls: the router hands every CALLRESULT and CALLERROR to protocol/replies.py, which logs them."""

from __future__ import annotations

import logging

from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame


def _answers(caplog) -> list[dict]:
    keys = ("station_id", "message_id", "kind", "error_code", "error_description", "error_details")
    return [
        {"message": r.getMessage(), **{k: getattr(r, k) for k in keys if hasattr(r, k)}}
        for r in caplog.records
        if r.getMessage() in ("call answered", "call refused by charger")
    ]


def test_callresult_and_callerror_reach_replies_and_get_no_answer(caplog):
    ctx = StationContext("ACME", "EVI00000013", "c1")
    # When the charger answers two of our calls, one accepted, one refused
    with caplog.at_level(logging.INFO, logger="csms"):
        accepted = handle_frame(ctx, '[3,"cs-1",{"status":"Accepted"}]', {})
        refused = handle_frame(ctx, '[4,"cs-2","NotSupported","TriggerMessage off",{"why":"firmware"}]', {})
    # Then nothing is sent back
    assert (accepted, refused) == (None, None)
    # And each answer is logged with the station, the message id and, for the error, its code and text
    assert _answers(caplog) == [
        {"message": "call answered", "station_id": "EVI00000013", "message_id": "cs-1", "kind": "CALLRESULT"},
        {
            "message": "call refused by charger",
            "station_id": "EVI00000013",
            "message_id": "cs-2",
            "kind": "CALLERROR",
            "error_code": "NotSupported",
            "error_description": "TriggerMessage off",
            "error_details": {"why": "firmware"},
        },
    ]
