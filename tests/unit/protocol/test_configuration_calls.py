"""The GetConfiguration and ChangeConfiguration modules: payloads within OCPP 1.6's schema, typed answers."""

from __future__ import annotations

import pytest
from ocpp.v16.enums import ConfigurationStatus

from chalicelib.protocol.v16.outbound import change_configuration, get_configuration
from chalicelib.protocol.v16.outbound.payloads import InvalidAnswer, InvalidRequest


def test_get_configuration_asks_for_all_keys_or_the_named_ones():
    assert get_configuration.request() == {}
    assert get_configuration.request(["HeartbeatInterval"]) == {"key": ["HeartbeatInterval"]}
    result = get_configuration.answer({"configurationKey": [{"key": "A", "readonly": True, "value": "1"}], "unknownKey": ["B"]})
    assert (result.configuration_key, result.unknown_key) == ([{"key": "A", "readonly": True, "value": "1"}], ["B"])
    with pytest.raises(InvalidAnswer):
        get_configuration.answer({"configurationKey": [{"key": "A"}]})  # readonly is required


def test_change_configuration_keeps_ocpp_lengths_and_reads_its_status():
    assert change_configuration.request("HeartbeatInterval", "300") == {"key": "HeartbeatInterval", "value": "300"}
    with pytest.raises(InvalidRequest, match="key"):
        change_configuration.request("K" * 51, "1")
    with pytest.raises(InvalidRequest, match="value"):
        change_configuration.request("K", "v" * 501)
    assert change_configuration.answer({"status": "RebootRequired"}).status is ConfigurationStatus.reboot_required
    with pytest.raises(InvalidAnswer):
        change_configuration.answer({"status": "Maybe"})
