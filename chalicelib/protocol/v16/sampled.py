"""MeterValue lists (MeterValues.meterValue, StopTransaction.transactionData) read into metering entries.

Strict (MeterValues): a value that is not a decimal, or a negative register, is a PropertyConstraintViolation
and nothing is stored. Lenient (StopTransaction): such a value is dropped and the session flagged, because
refusing the stop would leave the session open for ever.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import metering
from chalicelib.protocol import fields
from chalicelib.protocol.errors import OcppError


def entries(meter_values: list[dict], received_at: datetime, *, strict: bool, where: str) -> list[metering.Entry]:
    result = []
    for i, meter_value in enumerate(meter_values):
        flags: set[str] = set()
        try:
            claimed = fields.date_time(meter_value["timestamp"], f"{where}/{i}/timestamp")
        except OcppError:
            if strict:
                raise
            continue  # a reading we cannot place in time never counts; the stop still closes
        at, substituted = metering.event_time(claimed, received_at)
        if substituted:
            flags.add(metering.CLOCK_IMPLAUSIBLE)
        values = []
        for j, sampled in enumerate(meter_value["sampledValue"]):
            try:
                values.append(_value(sampled, f"{where}/{i}/sampledValue/{j}/value"))
            except OcppError:
                if strict:
                    raise
                flags.add(metering.UNREADABLE_SAMPLE)
        result.append(metering.Entry(at, values, meter_value["sampledValue"], flags))
    return result


def _value(sampled: dict, field: str) -> metering.Value:
    measurand = sampled.get("measurand", metering.ENERGY)
    number = None
    if sampled.get("format") != "SignedData":
        number = fields.decimal(sampled["value"], field)
        if number < 0 and measurand.endswith(".Register"):
            raise fields.violation(field, "a meter register is never negative")
    return metering.Value(measurand, sampled.get("unit", "Wh"), number, sampled.get("phase"), sampled.get("context"))
