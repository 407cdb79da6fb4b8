"""The ocpp library's OCPP 1.6 JSON schemas, checked the way the library itself checks them.

Three schemas (SetChargingProfile and RemoteStartTransaction requests, the GetCompositeSchedule answer)
have decimals with `multipleOf: 0.1`, which binary floats fail (10.6 / 0.1 = 105.99999999999999). The
library validates them with `decimal.Decimal` numbers, and it caches ONE validator per schema whatever
parser built it: whoever asks first decides for the whole process (a charger simulator in the same
process included). So every caller here asks for the Decimal ones, and checks a Decimal copy of the payload.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ocpp.messages import get_validator

VERSION = "1.6"
CALL, CALL_RESULT = 2, 3
DECIMAL_SCHEMAS = {(CALL, "SetChargingProfile"), (CALL, "RemoteStartTransaction"), (CALL_RESULT, "GetCompositeSchedule")}


def check(message_type: int, action: str, payload: object) -> None:
    """Raise jsonschema's ValidationError for the first violation (OSError: no such schema)."""
    if (message_type, action) in DECIMAL_SCHEMAS:
        get_validator(message_type, action, VERSION, parse_float=Decimal).validate(
            json.loads(json.dumps(payload), parse_float=Decimal)
        )
        return
    get_validator(message_type, action, VERSION).validate(payload)
