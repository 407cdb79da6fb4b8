"""BootNotification: store vendor, model, serial and firmware; answer registration and interval."""

from chalicelib import clock
from chalicelib.domain import commands, station_events
from chalicelib.observability import BOOT_ACCEPTED, count


def handle(ctx, request: dict) -> dict:
    status, interval = station_events.boot(ctx.org_id, ctx.station_id, request, ctx.received_at)
    if status == "Accepted":
        count(BOOT_ACCEPTED)
    if status != "Rejected":
        # Calls queued while the station was away go out once it has our answer (OCPP: a charger
        # may not be sent calls before its BootNotification is answered).
        ctx.after_answer.append(lambda: commands.send_queued(ctx.org_id, ctx.station_id, ctx.connection_id))
    return {"status": status, "currentTime": clock.rfc3339(ctx.received_at), "interval": interval}
