"""Schema validation with the ocpp library's JSON schemas, errors mapped as OCPP-J 1.6 says."""

from __future__ import annotations

from jsonschema.exceptions import ValidationError

from chalicelib.domain import ocpp_schemas
from chalicelib.protocol import errors

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
    try:
        ocpp_schemas.check(3 if response else 2, action, payload)
    except ValidationError as exc:
        error = _BY_KEYWORD.get(exc.validator, errors.PropertyConstraintViolation)
        where = "/".join(str(p) for p in exc.absolute_path) or "payload"
        raise error(details={"field": where, "cause": exc.message[:200]}) from None
