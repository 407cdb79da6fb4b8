"""Silent stations: a connected station not heard for more than twice its heartbeat interval is disconnected.

No charger frame writes anything for this (ADR 0022). Each connection carries the time of its next
check, which starts at connect time + the limit: the station cannot have been silent long enough
before. When the check is due, the gateway tells when the connection was last active (GET
@connections); a station heard since has its check moved to that moment + the limit, a silent one is
disconnected as a $disconnect would (conditional on the connection still being its own, so a
reconnect racing the check wins) and its socket closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain import departures, heartbeats
from chalicelib.observability import logger
from chalicelib.ports.calls import Command
from chalicelib.ports.chargers import ChargerGone
from chalicelib.ports.connections import Watched
from chalicelib.ports.registry import store

ALIVE, SILENT, GONE = "alive", "silent", "gone"


@dataclass(frozen=True)
class Verdict:
    outcome: str  # ALIVE: heard recently (next check moved) | SILENT: disconnected | GONE: the socket had closed
    failed: list[Command] = field(default_factory=list)  # calls failed because the station left


def due(now: datetime, limit: int) -> list[Watched]:
    return store().connections.due_checks(now, limit)


def check(watched: Watched, now: datetime) -> Verdict:
    """Judge one due connection by the gateway's last activity, and act on it."""
    limit = heartbeats.silence_limit(watched.registration)
    last = store().chargers.last_active(watched.connection_id)
    if last is not None and now - last <= limit:
        store().connections.check_later(watched.connection_id, heartbeats.next_check(last, watched.registration))
        return Verdict(ALIVE)
    where = {"station_id": watched.station_id, "org_id": watched.org_id, "connection_id": watched.connection_id}
    failed = departures.station_left(watched.connection_id, now)
    if last is None:
        # Closed without a $disconnect reaching us (API Gateway delivers it at best effort), or one in flight.
        logger.info("connection found closed", extra=where)
        return Verdict(GONE, failed)
    _close(watched.connection_id)
    logger.warning(
        "silent station disconnected",
        extra={**where, "last_active_at": last.isoformat(), "silent_s": int((now - last).total_seconds()),
               "limit_s": int(limit.total_seconds())},
    )
    return Verdict(SILENT, failed)


def _close(connection_id: str) -> None:
    try:
        store().chargers.close(connection_id)
    except ChargerGone:
        pass  # closed meanwhile: its $disconnect finds nothing left to do
