"""UpdateFirmware: tell a charger where to download new firmware and from when; it answers with an empty
CALLRESULT and reports progress with FirmwareStatusNotification."""

from __future__ import annotations

from ocpp.v16 import call_result

from chalicelib import clock
from chalicelib.protocol.v16.outbound.payloads import from_payload

ACTION = "UpdateFirmware"


def answer(payload: dict) -> call_result.UpdateFirmware:
    return from_payload(ACTION, payload, call_result.UpdateFirmware)


def on_answered(command, answer: call_result.UpdateFirmware) -> None:
    """The charger took the update: it is now up to its notifications (and the time-out)."""
    from chalicelib.domain import firmware_updates

    firmware_updates.answered(command.org_id, command.station_id, command.command_id, command.completed_at or clock.now())
