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
from tests.fuzz.oracle import MESSAGE_ID, answer_per_ocpp_j
from tests.fuzz.settings import fuzz_settings
from tests.fuzz.strategies import mutated_frames, valid_payloads

ACTIONS = sorted(ROUTES)


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
