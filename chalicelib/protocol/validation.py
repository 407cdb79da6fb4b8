"""Schema validation with the ocpp library's JSON schemas, errors mapped as OCPP-J 1.6 says."""

from __future__ import annotations

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


def validate(action: str, payload: dict, *, response: bool = False) -> None:
    """Raise the OCPP error for the first schema violation of an action's request (or response)."""
    validator = get_validator(3 if response else 2, action, _VERSION)
    try:
        validator.validate(payload)
    except ValidationError as exc:
        error = _BY_KEYWORD.get(exc.validator, errors.PropertyConstraintViolation)
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise error(details={"field": where, "cause": exc.message[:200]}) from None
