"""From the ocpp library's dataclasses to a validated CALL payload, and from an answer back to one."""

from __future__ import annotations

from enum import Enum
from typing import Any

from ocpp.charge_point import camel_to_snake_case, remove_nones, serialize_as_dict, snake_to_camel_case

from chalicelib.protocol.errors import OcppError
from chalicelib.protocol.validation import validate


class InvalidRequest(ValueError):
    """The request we were asked to build breaks the action's schema (a bug or bad operator input)."""


class InvalidAnswer(ValueError):
    """The charger's answer breaks the action's response schema."""

    def __init__(self, action: str, error: OcppError) -> None:
        super().__init__(f"{action} answer: {error.code} {error.details}")
        self.action = action
        self.error = error


def to_payload(action: str, request: Any) -> dict:
    """The camelCase JSON payload of a library request dataclass, checked against the 1.6 schema."""
    payload = _plain(snake_to_camel_case(remove_nones(serialize_as_dict(request))))
    try:
        validate(action, payload)
    except OcppError as exc:
        raise InvalidRequest(f"{action} request: {exc.details.get('field')}: {exc.details.get('cause')}") from None
    return payload


def from_payload(action: str, payload: Any, result_type: type) -> Any:
    """A charger's CALLRESULT payload as the library's result dataclass (snake_case fields), validated first."""
    if not isinstance(payload, dict):
        raise InvalidAnswer(action, OcppError("answer payload is not an object", {"cause": type(payload).__name__}))
    try:
        validate(action, payload, response=True)
    except OcppError as exc:
        raise InvalidAnswer(action, exc) from None
    return result_type(**camel_to_snake_case(payload))


def _plain(value: Any) -> Any:
    """Enums as their OCPP strings: the payload is what goes on the wire and into the pending-call record."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
