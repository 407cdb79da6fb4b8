"""Schema validation with the ocpp library's JSON schemas, errors mapped as OCPP-J 1.6 says."""

from __future__ import annotations

import decimal
import json

from jsonschema.exceptions import ValidationError
from ocpp.messages import get_validator

from chalicelib.protocol import errors

_VERSION = "1.6"
# jsonschema keyword -> OCPP-J 1.6 error (the library maps these differently, see DESIGN.md)
_BY_KEYWORD: dict[str, type[errors.OcppError]] = {
    "type": errors.TypeConstraintViolation,
    "required": errors.OccurenceConstraintViolation,
    "minItems": errors.OccurenceConstraintViolation,
    "maxItems": errors.OccurenceConstraintViolation,
    "additionalProperties": errors.FormationViolation,
}


# The ocpp library caches one validator per schema, whatever float parser built it, and validates these
# three with Decimal numbers (their multipleOf 0.1 fails on binary floats): build them the same way, or a
# float-built validator in the cache breaks the library (and a charger of the local stack built on it).
DECIMAL_SCHEMAS = frozenset({(2, "SetChargingProfile"), (2, "RemoteStartTransaction"), (3, "GetCompositeSchedule")})


def decimal_aware(message_type: int, action: str, payload):
    """The validator of a 1.6 schema and the payload to give it (numbers as Decimal where the library uses them)."""
    if (message_type, action) in DECIMAL_SCHEMAS:
        validator = get_validator(message_type, action, _VERSION, parse_float=decimal.Decimal)
        return validator, json.loads(json.dumps(payload), parse_float=decimal.Decimal)
    return get_validator(message_type, action, _VERSION), payload


def validate(action: str, payload: dict, *, response: bool = False) -> None:
    """Raise the OCPP error for the first schema violation of an action's request (or response)."""
    validator, payload = decimal_aware(3 if response else 2, action, payload)
    try:
        validator.validate(payload)
    except ValidationError as exc:
        error = _BY_KEYWORD.get(exc.validator, errors.PropertyConstraintViolation)
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise error(details={"field": where, "cause": exc.message[:200]}) from None
