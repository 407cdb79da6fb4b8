"""Values the schemas let through but no charger can mean: refused with a CALLERROR, nothing stored.

The schemas say "integer" and "date-time" only; OCPP 1.6 says more: a transaction starts on a
connector > 0, meter registers do not run backwards from zero, a date-time carries its UTC offset
(RFC 3339), and a sampled value is a decimal number. Each case takes a canned valid frame and puts
one implausible value in one field.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import odd_values as odd
from tests.fuzz.oracle import MESSAGE_ID, answer_per_ocpp_j
from tests.fuzz.settings import fuzz_settings
from tests.support import ocpp_frame

NO_OFFSET = st.sampled_from(["2026-11-25", "2026-11-25T10:00:00", "2026-11-25T10:00:00.250", "20261125T100000Z"])
# "1e308" is a decimal: the energy rule keeps it flagged instead (tests/unit/test_energy_rule.py).
NOT_A_NUMBER = st.sampled_from(["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "", "12,5", "x"])
# Past int64, and past DynamoDB numbers (38 digits).
HUGE = st.sampled_from([10**40, 10**400]) | st.integers(min_value=2**63) | st.integers(max_value=-(2**63))
CASES = [
    ("start_transaction", ("connectorId",), st.integers(max_value=0)),
    ("start_transaction", ("connectorId",), HUGE),
    ("start_transaction", ("meterStart",), st.integers(max_value=-1) | HUGE),
    ("start_transaction", ("timestamp",), NO_OFFSET),
    ("status_notification", ("connectorId",), st.integers(max_value=-1) | HUGE),
    ("status_notification", ("timestamp",), NO_OFFSET),
    ("stop_transaction", ("meterStop",), st.integers(max_value=-1) | HUGE),
    ("stop_transaction", ("timestamp",), NO_OFFSET),
    ("meter_values", ("meterValue", 0, "timestamp"), NO_OFFSET),
    ("meter_values", ("meterValue", 0, "sampledValue", 0, "value"), NOT_A_NUMBER),
    # The canned frame's first sample is Energy.Active.Import.Register: a register is never negative.
    ("meter_values", ("meterValue", 0, "sampledValue", 0, "value"), st.sampled_from(["-1", "-0.5", "-1000000"])),
]


@pytest.mark.parametrize(("name", "path", "values"), CASES, ids=lambda v: "/".join(map(str, v)) if isinstance(v, tuple) else None)
def test_an_implausible_value_is_refused_and_stores_nothing(charger, name, path, values):
    @fuzz_settings(8)
    @given(value=values)
    def send(value):
        data = json.loads(ocpp_frame(name, TXID=1))
        data[1] = MESSAGE_ID
        odd.set_at(data[3], path, value)
        reply = answer_per_ocpp_j(charger, data[2], json.dumps(data))
        assert reply[0] == 4, f"{data[2]} with {'/'.join(map(str, path))}={value!r} was accepted: {reply}"

    send()


@pytest.mark.parametrize("name", ["meter_values", "stop_transaction"])
def test_another_station_cannot_touch_a_transaction_it_did_not_start(charger, name):
    # Given transaction 1, started by the module's station EVI00000013, and a second demo station
    from chalicelib.storage.models import TransactionItem
    from tests.support import LambdaCharger

    other = LambdaCharger("EVI00000015")
    assert other.connect()["statusCode"] == 200
    before = TransactionItem.get(1).attribute_values
    # When the other station sends a frame naming transaction 1
    data = json.loads(ocpp_frame(name, TXID=1))
    data[1] = MESSAGE_ID
    answer_per_ocpp_j(other, data[2], json.dumps(data))
    # Then transaction 1 is as it was
    assert TransactionItem.get(1).attribute_values == before, f"{data[2]} from EVI00000015 changed EVI00000013's transaction"


@pytest.mark.parametrize("name", ["status_notification", "start_transaction", "meter_values"])
def test_a_timestamp_at_the_ends_of_the_calendar_is_answered_per_ocpp_j(charger, name):
    @fuzz_settings(4)
    @given(at=st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00Z"]))
    def send(at):
        data = json.loads(ocpp_frame(name, TXID=1))
        data[1] = MESSAGE_ID
        odd.set_at(data[3], ("meterValue", 0, "timestamp") if name == "meter_values" else ("timestamp",), at)
        answer_per_ocpp_j(charger, data[2], json.dumps(data))

    send()
