"""The three API Gateway WebSocket routes: each parses its event and calls one service."""

from __future__ import annotations

from chalicelib import clock, gateway
from chalicelib.observability import STATION_CONNECTED, count, logger

# Each route is its own Lambda function importing this module: what only one route needs
# (the storage library and botocore for all, the OCPP schemas for $default) is imported inside it.

SUBPROTOCOLS = ("ocpp1.6",)


def on_connect(event) -> dict:
    from chalicelib.domain import connections
    from chalicelib.domain.identity import ConnectRefused, arrival, authenticate
    from chalicelib.domain.throttle import source_address

    raw = event.to_dict()
    query = raw.get("queryStringParameters") or {}
    headers = {k.lower(): v for k, v in (raw.get("headers") or {}).items()}
    connection_id = event.connection_id
    source = source_address(((raw.get("requestContext") or {}).get("identity") or {}).get("sourceIp"), headers)
    try:
        protocol = _subprotocol(headers.get("sec-websocket-protocol"))
        identity, station, live = arrival(query.get("chargePointId"), query.get("organization"), clock.now())
        authenticate(station, headers, source, clock.now())
    except ConnectRefused as refused:
        logger.info(
            "connection refused",
            extra={"station_id": query.get("chargePointId"), "status": refused.status, "reason": refused.reason,
                   "source": source},
        )
        return {"statusCode": refused.status}
    # connections.py still names its sender parameter `api` (issue 8 removes it).
    if not connections.connected(identity, connection_id, clock.now(), live):
        # Purged meanwhile, or a newer connection of the same station won the race: last connect wins.
        logger.info("connection refused", extra={"station_id": identity.station_id, "status": 409, "reason": "replaced"})
        return {"statusCode": 409}
    logger.info("connected", extra={"station_id": identity.station_id, "connection_id": connection_id})
    count(STATION_CONNECTED)
    response: dict = {"statusCode": 200}
    if protocol:
        response["headers"] = {"Sec-WebSocket-Protocol": protocol}
    return response


def _subprotocol(offered: str | None) -> str | None:
    """The protocol we speak among those offered; none offered is accepted as OCPP 1.6."""
    from chalicelib.domain.identity import ConnectRefused

    if not offered:
        return None
    for name in (p.strip() for p in offered.split(",")):
        if name in SUBPROTOCOLS:
            return name
    raise ConnectRefused(400, f"no supported subprotocol in {offered[:80]!r}")


def on_message(event) -> None:
    from chalicelib.domain import connections
    from chalicelib.protocol.context import StationContext
    from chalicelib.protocol.router import handle_frame
    from chalicelib.protocol.v16 import ROUTES

    connection_id = event.connection_id
    identity = connections.station_of(connection_id)
    if identity is None:
        logger.warning("frame on an unknown connection", extra={"connection_id": connection_id})
        _close(connection_id)
        return
    ctx = StationContext(identity.org_id, identity.station_id, connection_id, powers=identity.powers, registration=identity.registration)
    logger.append_keys(station_id=identity.station_id)
    try:
        answer = handle_frame(ctx, event.body, ROUTES)
    finally:
        logger.remove_keys(["station_id"])
    if answer is None:
        return
    try:
        gateway.sender().send(connection_id, answer)
    except gateway.ChargerGone:
        connections.gone(connection_id, clock.now())
        return
    _after_answer(ctx)


def _after_answer(ctx) -> None:
    """The frame's follow-up work, each step isolated: the charger has its answer already."""
    for work in ctx.after_answer:
        try:
            work()
        except Exception:  # noqa: BLE001 - one failed follow-up must not hide the next
            logger.exception("work after the answer failed", extra={"station_id": ctx.station_id})


def on_disconnect(event) -> None:
    from chalicelib.domain import departures

    failed = departures.station_left(event.connection_id, clock.now())
    if failed:
        # Imported only then: the OCPP schemas behind the follow-up hooks cost a cold $disconnect nothing.
        from chalicelib.protocol.replies import after_failure

        for command in failed:
            after_failure(command)


def _close(connection_id: str) -> None:
    try:
        gateway.sender().close(connection_id)
    except gateway.ChargerGone:
        pass
