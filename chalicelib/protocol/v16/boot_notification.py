"""BootNotification: store vendor, model, serial and firmware; answer registration and interval."""

from chalicelib import clock
from chalicelib.domain import connections, station_events
from chalicelib.observability import BOOT_ACCEPTED, count


def handle(ctx, request: dict) -> dict:
    status, interval = station_events.boot(ctx.org_id, ctx.station_id, request, ctx.received_at)
    if status != ctx.registration:  # an operator changed it since the connection was made
        connections.registration_answered(ctx.connection_id, status)
        ctx.registration = status
    if status == "Accepted":
        count(BOOT_ACCEPTED)
    if status != "Rejected":
        # Calls queued while the station was away go out once it has our answer (OCPP: a charger
        # may not be sent calls before its BootNotification is answered).
        accepted = status == "Accepted"
        ctx.after_answer.append(lambda: _queued(ctx, accepted))
    if status == "Accepted":
        # A scheduled task's current limit that found the station offline (issue 11): the latest one, once.
        ctx.after_answer.append(lambda: _deferred_limit(ctx))
    if status == "Pending":
        # A Pending station of a model with a configuration template gets it now, then is Accepted (ADR 0014).
        ctx.after_answer.append(lambda: _template(ctx, request.get("chargePointVendor"), request.get("chargePointModel")))
    return {"status": status, "currentTime": clock.rfc3339(ctx.received_at), "interval": interval}


def _queued(ctx, accepted: bool) -> None:
    from chalicelib.domain import commands  # after the answer: the calls' modules stay off the Boot's own path

    commands.send_queued(ctx.org_id, ctx.station_id, ctx.connection_id, accepted)


def _template(ctx, vendor: str | None, model: str | None) -> None:
    from chalicelib.domain import configuration_templates  # rare: only Pending stations' boots pay the import

    configuration_templates.at_boot(ctx.org_id, ctx.station_id, vendor, model, ctx.received_at)


def _deferred_limit(ctx) -> None:
    from chalicelib.domain import task_effects  # one conditional write per Accepted boot; its import waits for it

    applied = task_effects.at_boot(ctx.org_id, ctx.station_id)
    if applied is not None and applied[0].task_id:
        from chalicelib.domain import task_runner

        task_runner.resume_deferred(ctx.org_id, applied[0].task_id, applied[1], clock.now())
