"""Every routed OCPP 1.6 action under generated payloads, through app.py's WebSocket hooks on moto.

Each CALL is answered per OCPP-J 1.6: a CALLRESULT the response schema accepts, or a CALLERROR with
a 1.6 error code other than InternalError (bad input is the charger's fault, never ours). A refused
CALL (any CALLERROR) leaves every DynamoDB item as it was. An exception out of the hook is what
API Gateway turns into {"message": "Internal server error"}: it fails the test too.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from chalicelib.protocol.v16 import ROUTES
from chalicelib.protocol.validation import validate
from tests.fuzz.settings import fuzz_settings
from tests.fuzz.strategies import mutated_frames, valid_payloads
from tests.support import LambdaCharger, moto_tables, table_contents

ACTIONS = sorted(ROUTES)
MESSAGE_ID = "fz-1"
# OCPP-J 1.6 section 4.2.3; the charger is never told it was our fault for input it chose.
ERROR_CODES = {
    "NotImplemented", "NotSupported", "ProtocolError", "SecurityError", "FormationViolation",
    "PropertyConstraintViolation", "OccurenceConstraintViolation", "TypeConstraintViolation", "GenericError",
}


@pytest.fixture(scope="module")
def charger():
    """A booted demo station with one transaction open, on moto shared by the module's examples."""
    from chalicelib.seed import seed_demo

    with moto_tables():
        seed_demo()
        station = LambdaCharger("EVI00000013")
        assert station.connect()["statusCode"] == 200
        assert station.frame("boot_notification")[0] == 3
        assert station.frame("start_transaction")[0] == 3
        yield station


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


@pytest.mark.parametrize("action", ACTIONS)
def test_schema_valid_payloads_are_answered_per_ocpp_j(charger, action):
    @fuzz_settings(25)
    @given(payload=valid_payloads(action))
    def send(payload):
        answer_per_ocpp_j(charger, action, json.dumps([2, MESSAGE_ID, action, payload]))

    send()


@pytest.mark.parametrize("action", ACTIONS)
def test_broken_payloads_are_refused_per_ocpp_j_and_store_nothing(charger, action):
    @fuzz_settings(40)
    @given(text=mutated_frames(action, MESSAGE_ID))
    def send(text):
        answer_per_ocpp_j(charger, action, text)

    send()


def test_an_unknown_or_unrouted_action_is_not_implemented_or_not_supported(charger):
    assert answer_per_ocpp_j(charger, "FooBar", json.dumps([2, MESSAGE_ID, "FooBar", {}]))[2] == "NotImplemented"
    assert answer_per_ocpp_j(charger, "Reset", json.dumps([2, MESSAGE_ID, "Reset", {}]))[2] == "NotSupported"
