"""GetConfiguration: read a charger's configuration keys (all of them, or the keys named); its answer
is stored as the station's keys (the manual's Refresh configuration)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocpp.v16 import call, call_result

from chalicelib import clock
from chalicelib.domain import configuration
from chalicelib.protocol.v16.outbound.payloads import from_payload, to_payload

if TYPE_CHECKING:
    from chalicelib.ports.calls import Command

ACTION = "GetConfiguration"


def request(keys: list[str] | None = None) -> dict:
    """The CALL payload: no keys asks for every key."""
    return to_payload(ACTION, call.GetConfiguration(key=list(keys) if keys else None))


def answer(payload: dict) -> call_result.GetConfiguration:
    """configuration_key: [{key, readonly, value?}], unknown_key: [key] (both may be absent)."""
    return from_payload(ACTION, payload, call_result.GetConfiguration)


def on_answered(command: Command, result: call_result.GetConfiguration) -> None:
    asked = list(command.payload.get("key") or [])
    configuration.got(
        command.org_id, command.station_id, asked, list(result.configuration_key or []), list(result.unknown_key or []),
        command.completed_at or clock.now(),
    )
