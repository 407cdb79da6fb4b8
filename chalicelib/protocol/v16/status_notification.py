"""StatusNotification: event feed entry and current connector status (connector 0 = the station)."""

from chalicelib.domain import station_events


def handle(ctx, request: dict) -> dict:
    station_events.status(ctx.station_pk, ctx.message_id, request, ctx.received_at)
    return {}
