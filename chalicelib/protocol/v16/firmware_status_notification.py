"""FirmwareStatusNotification: progress of a firmware update, kept on the station, in its feed and on its update."""

from chalicelib.domain import station_events


def handle(ctx, request: dict) -> dict:
    from chalicelib.domain import firmware_updates  # a rare frame: its REST-side modules stay off every cold $default

    station_events.progress(
        ctx.org_id, ctx.station_id, "FirmwareStatusNotification", request["status"], ctx.message_id, ctx.received_at
    )
    firmware_updates.progress(ctx.org_id, ctx.station_id, request["status"], ctx.received_at)
    return {}
