"""StopTransaction: closes the session once; unknown transactions are parked, never refused."""

from chalicelib.domain import charging


def handle(ctx, request: dict) -> dict:
    decision = charging.stop(ctx.org_id, ctx.station_id, request, request)
    return {"idTagInfo": decision.id_tag_info()} if decision is not None else {}
