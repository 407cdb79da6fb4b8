"""OCPP-J 1.6 CALLERROR codes (section 4.2.3) as typed exceptions."""

from __future__ import annotations


class OcppError(Exception):
    """An error the charger is told about in a CALLERROR."""

    code = "GenericError"
    description = "Any other error not covered by the previous ones"

    def __init__(self, description: str | None = None, details: dict | None = None) -> None:
        super().__init__(description or self.description)
        if description:
            self.description = description
        self.details = details or {}


class NotImplementedOcpp(OcppError):
    code = "NotImplemented"
    description = "Requested Action is not known by receiver"


class NotSupported(OcppError):
    code = "NotSupported"
    description = "Requested Action is recognized but not supported by the receiver"


class InternalError(OcppError):
    code = "InternalError"
    description = "An internal error occurred and the receiver was not able to process the requested Action successfully"


class ProtocolError(OcppError):
    code = "ProtocolError"
    description = "Payload for Action is incomplete"


class SecurityError(OcppError):
    code = "SecurityError"
    description = "During the processing of Action a security issue occurred preventing receiver from completing the Action successfully"


class FormationViolation(OcppError):
    code = "FormationViolation"
    description = "Payload for Action is syntactically incorrect or not conform the PDU structure for Action"


class PropertyConstraintViolation(OcppError):
    code = "PropertyConstraintViolation"
    description = "Payload is syntactically correct but at least one field contains an invalid value"


class OccurenceConstraintViolation(OcppError):
    # 1.6 spells it with one "r"; chargers match the string exactly.
    code = "OccurenceConstraintViolation"
    description = "Payload for Action is syntactically correct but at least one of the fields violates occurence constraints"


class TypeConstraintViolation(OcppError):
    code = "TypeConstraintViolation"
    description = "Payload for Action is syntactically correct but at least one of the fields violates data type constraints"
