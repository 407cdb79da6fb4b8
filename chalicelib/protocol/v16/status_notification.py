"""StatusNotification: event feed entry and current connector status (connector 0 = the station)."""

from chalicelib.domain import metering, station_events
from chalicelib.protocol import fields


def handle(ctx, request: dict) -> dict:
    fields.connector(request["connectorId"])
    at = ctx.received_at
    if request.get("timestamp"):
        at, _ = metering.event_time(fields.date_time(request["timestamp"]), ctx.received_at)
    station_events.status(ctx.org_id, ctx.station_id, ctx.message_id, request, at)
    return {}
