"""MeterValues: raw samples with a TTL, session energy from register readings (replays change nothing)."""

from chalicelib.domain import charging, metering
from chalicelib.protocol import fields
from chalicelib.protocol.v16 import sampled


def handle(ctx, request: dict) -> dict:
    connector = fields.connector(request["connectorId"])
    transaction_id = request.get("transactionId")
    if transaction_id is not None:
        transaction_id = fields.transaction_id(transaction_id)
    entries = sampled.entries(request["meterValue"], ctx.received_at, strict=True, where="meterValue")
    charging.meter_values(
        ctx.org_id, ctx.station_id, connector, transaction_id, entries, metering.max_power_w(ctx.powers, connector)
    )
    return {}
