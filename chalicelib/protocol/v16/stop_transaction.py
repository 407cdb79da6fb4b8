"""StopTransaction: closes the session once; unknown transactions are parked, never refused.

A meterStop that is no register at all (negative, beyond 64 bits) is refused like any malformed frame;
a possible-looking but implausible one closes the session with its last counted reading (ADR 0008).
Readings in `transactionData` that cannot be read are dropped and flagged instead of refusing the frame:
a refused stop would leave the session open for ever.
"""

from chalicelib.domain import charging
from chalicelib.protocol import fields
from chalicelib.protocol.v16 import load_sharing, sampled


def handle(ctx, request: dict) -> dict:
    entries = sampled.entries(
        request.get("transactionData") or [], ctx.received_at, strict=False, where="transactionData"
    )
    decision = charging.stop(
        ctx.org_id,
        ctx.station_id,
        fields.transaction_id(request["transactionId"]),
        fields.register(request["meterStop"], "meterStop"),
        fields.date_time(request["timestamp"]),
        ctx.received_at,
        id_tag=request.get("idTag"),
        reason=request.get("reason"),
        entries=entries,
        raw=request,
    )
    load_sharing.after_answer(ctx)
    return {"idTagInfo": decision.id_tag_info()} if decision is not None else {}
