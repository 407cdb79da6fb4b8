"""Authorize: RFID token status, validity window and access rights to this station."""

from chalicelib.domain.authorization import authorize


def handle(ctx, request: dict) -> dict:
    decision = authorize(ctx.org_id, ctx.station_id, request["idTag"], ctx.received_at)
    return {"idTagInfo": decision.id_tag_info()}
