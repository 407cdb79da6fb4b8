"""DiagnosticsStatusNotification: progress of a diagnostics upload, kept on the station, in its feed and on the request."""

from chalicelib.domain import station_events


def handle(ctx, request: dict) -> dict:
    from chalicelib.domain import diagnostics  # a rare frame: its REST-side modules stay off every cold $default

    station_events.progress(
        ctx.org_id, ctx.station_id, "DiagnosticsStatusNotification", request["status"], ctx.message_id, ctx.received_at
    )
    diagnostics.progress(ctx.org_id, ctx.station_id, request["status"], ctx.received_at)
    return {}
