"""GetDiagnostics: ask a charger to upload its diagnostics to a location; it answers with the file name
(none when it has no diagnostics) and reports progress with DiagnosticsStatusNotification."""

from __future__ import annotations

from ocpp.v16 import call_result

from chalicelib import clock
from chalicelib.protocol.v16.outbound.payloads import from_payload

ACTION = "GetDiagnostics"


def answer(payload: dict) -> call_result.GetDiagnostics:
    return from_payload(ACTION, payload, call_result.GetDiagnostics)


def on_answered(command, answer: call_result.GetDiagnostics) -> None:
    from chalicelib.domain import diagnostics

    diagnostics.answered(command.org_id, command.station_id, command.command_id, answer.file_name, command.completed_at or clock.now())
