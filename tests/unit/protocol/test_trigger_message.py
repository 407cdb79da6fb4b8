"""TriggerMessage, the first outbound action: the request built and checked with the ocpp schemas, the answer read."""

from __future__ import annotations

import json

import pytest
from ocpp.v16.enums import TriggerMessageStatus

from chalicelib.protocol import frames
from chalicelib.protocol.v16.outbound import trigger_message
from chalicelib.protocol.v16.outbound.payloads import InvalidAnswer, InvalidRequest


def test_request_for_the_whole_station_names_only_the_message():
    payload = trigger_message.request("Heartbeat")
    assert payload == {"requestedMessage": "Heartbeat"}
    # And it goes on the wire as plain OCPP-J
    assert (
        frames.call("c1", trigger_message.ACTION, payload)
        == '[2,"c1","TriggerMessage",{"requestedMessage":"Heartbeat"}]'
    )


def test_request_for_one_connector_carries_its_id():
    assert trigger_message.request("StatusNotification", 2) == {
        "requestedMessage": "StatusNotification",
        "connectorId": 2,
    }


@pytest.mark.parametrize(
    ("message", "connector", "error"),
    [
        ("Reboot", None, "TriggerMessage request: 'Reboot' is not a message a charger can send"),
        # The library's enum knows the security extension's messages; the 1.6 schema refuses them here.
        (
            "LogStatusNotification",
            None,
            "TriggerMessage request: requestedMessage: 'LogStatusNotification' is not one of",
        ),
        ("MeterValues", 0, "TriggerMessage request: connectorId must be between 1 and 100, not 0"),
        ("MeterValues", 101, "TriggerMessage request: connectorId must be between 1 and 100, not 101"),
    ],
)
def test_requests_a_charger_cannot_take_are_refused_before_sending(message, connector, error):
    with pytest.raises(InvalidRequest) as refused:
        trigger_message.request(message, connector)
    assert str(refused.value).startswith(error)


@pytest.mark.parametrize("status", ["Accepted", "Rejected", "NotImplemented"])
def test_answer_is_read_into_its_status(status):
    assert trigger_message.answer(json.loads(f'{{"status": "{status}"}}')).status is TriggerMessageStatus(status)


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"status": "Maybe"}, "PropertyConstraintViolation", "status"),
        ({}, "OccurenceConstraintViolation", "payload"),
        ({"status": "Accepted", "extra": 1}, "FormationViolation", "payload"),
        ({"status": 1}, "TypeConstraintViolation", "status"),
    ],
)
def test_answers_breaking_the_schema_are_invalid_with_the_ocpp_error(payload, code, field):
    with pytest.raises(InvalidAnswer) as invalid:
        trigger_message.answer(payload)
    assert (invalid.value.action, invalid.value.error.code, invalid.value.error.details["field"]) == (
        "TriggerMessage",
        code,
        field,
    )


def test_an_answer_that_is_not_an_object_is_invalid():
    with pytest.raises(InvalidAnswer, match="TriggerMessage answer: GenericError"):
        trigger_message.answer(["Accepted"])
