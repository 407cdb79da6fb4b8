"""ChangeConfiguration: set one configuration key; the answer (Accepted, Rejected, RebootRequired,
NotSupported) is kept on the station's key, and Accepted or RebootRequired makes the value active."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocpp.v16 import call, call_result
from ocpp.v16.enums import ConfigurationStatus

from chalicelib import clock
from chalicelib.domain import configuration, configuration_templates
from chalicelib.domain.configuration_rules import TAKEN
from chalicelib.protocol.v16.outbound.payloads import from_payload, to_payload

if TYPE_CHECKING:
    from chalicelib.ports.calls import Command

ACTION = "ChangeConfiguration"


def request(key: str, value: str) -> dict:
    """The CALL payload; InvalidRequest beyond OCPP's lengths (key 50, value 500 characters)."""
    return to_payload(ACTION, call.ChangeConfiguration(key=key, value=value))


def answer(payload: dict) -> call_result.ChangeConfiguration:
    result = from_payload(ACTION, payload, call_result.ChangeConfiguration)
    return call_result.ChangeConfiguration(status=ConfigurationStatus(result.status))


def on_answered(command: Command, result: call_result.ChangeConfiguration) -> None:
    key, value = command.payload["key"], command.payload["value"]
    status = ConfigurationStatus(result.status).value
    configuration.changed(command.org_id, command.station_id, key, value, status, command.completed_at or clock.now())
    configuration_templates.settled(command.org_id, command.station_id, key, ok=status in TAKEN)


def on_failed(command: Command) -> None:
    """A CALLERROR, an invalid answer or no answer: a template's change counts as refused (the station stays
    Pending for an operator to decide), instead of waiting for an answer that will never come."""
    configuration_templates.settled(command.org_id, command.station_id, command.payload["key"], ok=False)
