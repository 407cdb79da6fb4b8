"""What the OCPP 1.6 JSON schemas cannot say: date-time, connector, transaction id and decimal rules.

The schemas only type these fields; OCPP-J still forbids a timestamp without an offset, a StartTransaction
on connector 0 and a sampled value that is not a decimal. Each check raises the CALLERROR 1.6 names for a
field with an invalid value (PropertyConstraintViolation), so bad input never reaches storage.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from chalicelib.clock import UTC
from chalicelib.protocol.errors import PropertyConstraintViolation, TypeConstraintViolation

# Connector ids are small (a station's sockets); the bound keeps sort keys and counters sane.
MAX_CONNECTOR = 100
# OCPP implementations carry transaction ids as 32-bit signed integers.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MAX = 2**63 - 1
# RFC 3339 date-time (JSON schema "date-time"): full date, time, and a mandatory offset.
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)\Z")
# A sampled value is a 'Raw' decimal (OCPP 1.6 SampledValue.value); exponents stay short.
_DECIMAL = re.compile(r"[+-]?(\d{1,40}(\.\d{0,40})?|\.\d{1,40})([eE][+-]?\d{1,3})?\Z")


def violation(field: str, cause: str) -> PropertyConstraintViolation:
    return PropertyConstraintViolation(details={"field": field, "cause": cause})


def date_time(text: str, field: str = "timestamp") -> datetime:
    """An RFC 3339 date-time with its offset, as a UTC datetime."""
    if not isinstance(text, str) or not _DATE_TIME.match(text):
        raise violation(field, f"not an RFC 3339 date-time with offset: {str(text)[:40]}")
    try:
        return datetime.fromisoformat(text.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        raise violation(field, f"not a valid date-time: {text[:40]}") from None


def connector(value: int, field: str = "connectorId", minimum: int = 0) -> int:
    """A connector id in [minimum, MAX_CONNECTOR]; 0 is the station itself where OCPP allows it."""
    if type(value) is not int:
        raise TypeConstraintViolation(details={"field": field, "cause": "not an integer"})
    if not minimum <= value <= MAX_CONNECTOR:
        raise violation(field, f"connector id must be between {minimum} and {MAX_CONNECTOR}")
    return value


def transaction_id(value: int, field: str = "transactionId") -> int:
    if type(value) is not int:
        raise TypeConstraintViolation(details={"field": field, "cause": "not an integer"})
    if not INT32_MIN <= value <= INT32_MAX:
        raise violation(field, "transaction id out of the 32-bit range")
    return value


def register(value: int, field: str, maximum: float = INT64_MAX) -> int:
    """A meter register reading in Wh as StartTransaction/StopTransaction carry it: never negative, and
    within 64 bits (a larger value is no register any meter has; the energy rule judges the rest)."""
    if type(value) is not int:
        raise TypeConstraintViolation(details={"field": field, "cause": "not an integer"})
    if value < 0:
        raise violation(field, "a meter register is never negative")
    if value > maximum:
        raise violation(field, f"a meter register is at most {maximum:.0f} Wh")
    return value


def decimal(text: str, field: str = "value") -> float:
    """A sampled value's decimal text as a finite float."""
    if not isinstance(text, str) or not _DECIMAL.match(text.strip()):
        raise violation(field, f"not a decimal number: {str(text)[:40]}")
    number = float(text)
    if not math.isfinite(number):
        raise violation(field, f"not a finite number: {text[:40]}")
    return number
