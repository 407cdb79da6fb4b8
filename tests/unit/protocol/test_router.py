"""Frame errors as OCPP-J 1.6 section 4.2.3 says, checked against the spec, not the library."""

import json

import pytest

from chalicelib.protocol.context import StationContext
from chalicelib.protocol.router import handle_frame


def _boom(ctx, request):
    raise RuntimeError("secret internals: table csms-prod-stations")


ROUTES = {"Heartbeat": lambda ctx, req: {"currentTime": "2026-11-21T10:00:00.000Z"}, "StatusNotification": _boom}


def answer(text):
    return json.loads(handle_frame(StationContext("ORG", "CP1", "c1"), text, ROUTES))


@pytest.mark.parametrize(
    "text, message_id, code",
    [
        ("not json", "-1", "FormationViolation"),
        ('{"a": 1}', "-1", "FormationViolation"),
        ('[2, "m1"]', "m1", "FormationViolation"),
        ('[2, "m1", "Heartbeat", []]', "m1", "FormationViolation"),
        ('[9, "m1", "Heartbeat", {}]', "m1", "FormationViolation"),
        ('[2, 17, "Heartbeat", {}]', "-1", "FormationViolation"),
        ('[2, "m2", "MakeCoffee", {}]', "m2", "NotImplemented"),
        ('[2, "m3", "Reset", {"type": "Hard"}]', "m3", "NotSupported"),
    ],
)
def test_broken_frames_get_the_spec_error(text, message_id, code):
    # Given a frame the CSMS cannot process / When it arrives / Then a CALLERROR with the 1.6 code
    reply = answer(text)
    assert reply[0] == 4
    assert reply[1] == message_id
    assert reply[2] == code


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"connectorId": 1, "errorCode": "NoError"}, "OccurenceConstraintViolation"),
        ({"connectorId": "one", "errorCode": "NoError", "status": "Available"}, "TypeConstraintViolation"),
        ({"connectorId": 1, "errorCode": "NoError", "status": "Sleeping"}, "PropertyConstraintViolation"),
        ({"connectorId": 1, "errorCode": "NoError", "status": "Available", "colour": "red"}, "FormationViolation"),
        (
            {"connectorId": 1, "errorCode": "NoError", "status": "Available", "info": "x" * 51},
            "PropertyConstraintViolation",
        ),
    ],
)
def test_schema_violations_map_to_their_codes(payload, code):
    reply = answer(json.dumps([2, "v1", "StatusNotification", payload]))
    assert reply[:3] == [4, "v1", code]
    assert reply[4]["field"]


def test_handler_failure_is_internal_error_without_internals():
    reply = answer('[2, "x1", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "Available"}]')
    assert reply[:3] == [4, "x1", "InternalError"]
    assert "secret" not in json.dumps(reply)


def test_answers_to_csms_calls_get_no_reply():
    from chalicelib.memstore import memory_store
    from chalicelib.ports.registry import using

    ctx = StationContext("ORG", "CP1", "c1")
    with using(memory_store()):
        assert handle_frame(ctx, '[3, "csms-1", {"status": "Accepted"}]', ROUTES) is None
        assert handle_frame(ctx, '[4, "csms-2", "NotSupported", "", {}]', ROUTES) is None


def test_an_answer_whose_handling_fails_is_logged_and_gets_no_reply(caplog):
    import logging

    from chalicelib.ports.errors import StorageUnavailable
    from chalicelib.ports.registry import Store, using

    def broken():
        raise StorageUnavailable("down")

    with using(Store("broken", {"calls": broken})), caplog.at_level(logging.INFO, logger="csms"):
        assert handle_frame(StationContext("ORG", "CP1", "c1"), '[3, "csms-1", {}]', ROUTES) is None
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == ["answer handling failed"]


def test_call_result_is_compact_json():
    assert handle_frame(StationContext("O", "C", "c"), '[2,"h","Heartbeat",{}]', ROUTES) == (
        '[3,"h",{"currentTime":"2026-11-21T10:00:00.000Z"}]'
    )
