"""StartTransaction: idempotent; the id comes from an atomic counter, a replay gets the same id."""

from chalicelib.domain import charging


def handle(ctx, request: dict) -> dict:
    transaction_id, decision = charging.start(ctx.org_id, ctx.station_id, request)
    return {"transactionId": transaction_id, "idTagInfo": decision.id_tag_info()}
