"""The fair share of a group's current limit (domain.fair_share): a pure function."""

from __future__ import annotations

import math

import pytest

from chalicelib.domain.fair_share import Demand, amperes, shares


def demand(name: str, started: float = 0, max_a: float = math.inf) -> Demand:
    return Demand((name, 1), started, max_a)


def test_equal_shares_for_connectors_that_can_take_them():
    assert shares(32, [demand("A"), demand("B")]) == {("A", 1): 16.0, ("B", 1): 16.0}
    assert shares(32, [demand("A"), demand("B"), demand("C", 1)]) == {("A", 1): 10.6, ("B", 1): 10.6, ("C", 1): 10.6}


def test_the_shares_never_exceed_the_limit():
    result = shares(50, [demand(str(n), n) for n in range(7)])
    assert sum(result.values()) <= 50 and set(result.values()) == {7.1}


def test_a_connector_that_cannot_take_its_share_leaves_the_rest_to_the_others():
    result = shares(48, [demand("small", max_a=10), demand("B"), demand("C")])
    assert result == {("small", 1): 10.0, ("B", 1): 19.0, ("C", 1): 19.0}


def test_below_the_minimum_current_the_latest_sessions_wait_at_zero():
    result = shares(16, [demand("first", 1), demand("second", 2), demand("third", 3)], min_a=6)
    assert result == {("first", 1): 8.0, ("second", 1): 8.0, ("third", 1): 0.0}
    assert shares(5, [demand("A")], min_a=6) == {("A", 1): 0.0}


def test_a_connector_whose_maximum_is_below_the_minimum_gets_nothing():
    assert shares(32, [demand("tiny", max_a=4), demand("B")], min_a=6) == {("tiny", 1): 0.0, ("B", 1): 32.0}


def test_phases_turn_a_socket_power_into_amperes_per_phase():
    assert round(amperes(11, 3), 1) == 15.9
    assert round(amperes(7.4, 1), 1) == 32.2
    assert amperes(None, 3) == math.inf
    result = shares(40, [Demand(("11kW", 1), 0, amperes(11, 3)), demand("B")])
    assert result == {("11kW", 1): 15.9, ("B", 1): 24.1}


def test_no_connectors_and_bad_input():
    assert shares(32, []) == {}
    with pytest.raises(ValueError, match="never negative"):
        shares(-1, [demand("A")])


def test_a_share_in_tenths_is_a_valid_set_charging_profile():
    # 10.6 / 0.1 is not an integer in binary floats: the schema's multipleOf 0.1 is checked with decimals.
    from chalicelib.domain import commands
    from chalicelib.protocol.v16.outbound.set_charging_profile import load_share_request

    payload = load_share_request(1, 7, 10.6, 3)
    commands.validate("SetChargingProfile", payload)
    assert payload["csChargingProfiles"]["chargingSchedule"]["chargingSchedulePeriod"][0]["limit"] == 10.6
