"""What every answer to a charger's CALL must be, per OCPP-J 1.6, and that a refusal stores nothing."""

from __future__ import annotations

from chalicelib.protocol.validation import validate
from tests.support import LambdaCharger, table_contents

MESSAGE_ID = "fz-1"
# OCPP-J 1.6 section 4.2.3; the charger is never told it was our fault for input it chose.
ERROR_CODES = {
    "NotImplemented", "NotSupported", "ProtocolError", "SecurityError", "FormationViolation",
    "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError",
}


def answer_per_ocpp_j(charger: LambdaCharger, action: str, text: str) -> list:
    """Send one CALL and check the answer and, for a refusal, that nothing was stored."""
    before = table_contents()
    reply = charger.send_raw(text)
    assert isinstance(reply, list) and reply[0] in (3, 4), reply
    if reply[0] == 3:
        assert reply[1] == MESSAGE_ID and len(reply) == 3, reply
        validate(action, reply[2], response=True)
        return reply
    assert len(reply) == 5 and isinstance(reply[3], str) and isinstance(reply[4], dict), reply
    assert reply[2] in ERROR_CODES, reply
    # Only a frame whose id cannot be read is answered with OCPP 2.0.1's "-1".
    assert reply[1] == MESSAGE_ID or (reply[1] == "-1" and reply[2] == "FormationViolation"), reply
    assert table_contents() == before, f"refused {action} changed stored items: {reply}"
    return reply
