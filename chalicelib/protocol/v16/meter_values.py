"""MeterValues: raw samples with a TTL, session energy from register deltas (replays change nothing)."""

from chalicelib.domain import charging


def handle(ctx, request: dict) -> dict:
    charging.meter_values(
        ctx.org_id, ctx.station_id, request["connectorId"], request.get("transactionId"), request["meterValue"]
    )
    return {}
