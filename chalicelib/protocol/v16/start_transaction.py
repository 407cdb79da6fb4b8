"""StartTransaction: idempotent; the id comes from an atomic counter, a replay gets the same id."""

from chalicelib.domain import charging, metering
from chalicelib.protocol import fields
from chalicelib.protocol.v16 import load_sharing


def handle(ctx, request: dict) -> dict:
    connector = fields.connector(request["connectorId"], minimum=1)  # 0 is the station, never a session
    transaction_id, decision = charging.start(
        ctx.org_id,
        ctx.station_id,
        connector,
        request["idTag"],
        fields.register(request["meterStart"], "meterStart", metering.MAX_REGISTER_WH),
        fields.date_time(request["timestamp"]),
        ctx.received_at,
        metering.max_power_w(ctx.powers, connector),
    )
    load_sharing.after_answer(ctx)
    return {"transactionId": transaction_id, "idTagInfo": decision.id_tag_info()}
