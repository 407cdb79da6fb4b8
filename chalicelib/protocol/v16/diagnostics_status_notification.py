"""DiagnosticsStatusNotification: progress of a diagnostics upload, kept on the station and in its feed."""

from chalicelib.domain import station_events


def handle(ctx, request: dict) -> dict:
    station_events.progress(
        ctx.org_id, ctx.station_id, "DiagnosticsStatusNotification", request["status"], ctx.message_id, ctx.received_at
    )
    return {}
