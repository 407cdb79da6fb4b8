"""TriggerMessage: ask a charger to send one of its messages now (for one connector or the whole station)."""

from __future__ import annotations

from ocpp.v16 import call, call_result
from ocpp.v16.enums import MessageTrigger, TriggerMessageStatus

from chalicelib.protocol.v16.outbound.payloads import InvalidRequest, from_payload, to_payload

ACTION = "TriggerMessage"
# The schema types connectorId as any integer; OCPP 1.6 says > 0, and this CSMS knows connectors 1..100.
CONNECTORS = range(1, 101)


def request(requested_message: str, connector_id: int | None = None) -> dict:
    """The CALL payload; InvalidRequest for a message 1.6 cannot trigger or a connector id out of range."""
    try:
        trigger = MessageTrigger(requested_message)
    except ValueError:
        raise InvalidRequest(f"{ACTION} request: {requested_message!r} is not a message a charger can send") from None
    if connector_id is not None and connector_id not in CONNECTORS:
        raise InvalidRequest(f"{ACTION} request: connectorId must be between 1 and 100, not {connector_id}")
    return to_payload(ACTION, call.TriggerMessage(requested_message=trigger, connector_id=connector_id))


def answer(payload: dict) -> call_result.TriggerMessage:
    """The charger's answer, its status as TriggerMessageStatus (Accepted, Rejected, NotImplemented)."""
    result = from_payload(ACTION, payload, call_result.TriggerMessage)
    return call_result.TriggerMessage(status=TriggerMessageStatus(result.status))
