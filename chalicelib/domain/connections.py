"""Connection bookkeeping: $connect records, $disconnect clears its own, frames find their station."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from chalicelib.domain import aggregates, heartbeats
from chalicelib.domain.identity import StationIdentity
from chalicelib.observability import logger
from chalicelib.ports.aggregates import ConnectionClosed, ConnectionOpened
from chalicelib.ports.chargers import ChargerGone
from chalicelib.ports.errors import NotFound
from chalicelib.ports.registry import store

if TYPE_CHECKING:
    from chalicelib.ports.connections import Previous

# A connection id names one socket for its whole life and is never reused, so its station is an
# immutable fact: a warm Lambda may remember it instead of reading it again. Correctness never
# depends on this cache; a cold container simply reads the item.
_CACHE: OrderedDict[str, StationIdentity] = OrderedDict()
_CACHE_SIZE = 20_000



# A replaced connection still in its own $connect cannot be closed yet (API Gateway answers Gone):
# its successor tries again for a moment when the replaced one is this young. (One that is still
# queued after that runs its own take-over later and then closes this one: the last to run wins.)
YOUNG = timedelta(seconds=10)
CLOSE_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)


def connected(identity: StationIdentity, connection_id: str, now: datetime, live: object = aggregates.UNREAD) -> bool:
    """Make this the station's connection (last connect wins, also under races) and close the one it
    replaced. False: the station was purged, or a newer connection took over meanwhile: refuse this one.
    `live`: the station's live record as read with the station (identity.arrival), saving a read."""
    org_id, station_id = identity.org_id, identity.station_id
    connections = store().connections
    try:
        previous = connections.take_over(org_id, station_id, connection_id, now)
    except NotFound:
        return False
    # Its points leave "Offline" in the same transaction, on condition that it is still the current one.
    # The first silence check (ADR 0022): the station cannot have been silent long enough before.
    check_at = heartbeats.next_check(now, identity.registration)
    opened = ConnectionOpened(connection_id, now, dict(identity.powers), identity.registration, check_at)
    try:
        done = aggregates.change(org_id, station_id, lambda record: _online(record, True), opened, guard=True, read=live)
    except aggregates.Refused:
        done = False
    # Whoever took over from `previous` closes it, also when this connection lost the race itself:
    # the one that replaced this connection closes only this one, never the one before it.
    if previous is not None and previous.connection_id != connection_id:
        _close_replaced(previous, now)
    if not done and connections.current(org_id, station_id) != connection_id:
        logger.info("connection replaced while connecting", extra={"station_id": station_id, "connection_id": connection_id})
        return False
    _remember(connection_id, identity)
    return True


def station_of(connection_id: str) -> StationIdentity | None:
    identity = _CACHE.get(connection_id)
    if identity is not None:
        return identity
    connection = store().connections.get(connection_id)
    if connection is None:
        return None
    identity = StationIdentity(
        connection.org_id, connection.station_id, dict(connection.powers), connection.registration, connection.connected_at,
    )
    _remember(connection_id, identity)
    return identity


def registration_of(connection_id: str) -> str | None:
    """The registration the connection's frames are judged by, read again (another container may have
    changed it): only asked when the remembered one refuses a frame, so Accepted stations never pay it."""
    connection = store().connections.get(connection_id)
    if connection is None:
        return None
    identity = _CACHE.get(connection_id)
    if identity is not None and identity.registration != connection.registration:
        _remember(connection_id, replace(identity, registration=connection.registration))
    return connection.registration


def registration_answered(connection_id: str, registration: str) -> None:
    """A BootNotification was answered with `registration`: the connection's frames follow it from now on."""
    identity = _CACHE.get(connection_id)
    if identity is not None and identity.registration == registration:
        return
    store().connections.set_registration(connection_id, registration)
    if identity is not None:
        _remember(connection_id, replace(identity, registration=registration))


@dataclass(frozen=True)
class Departure:
    """A connection that ended, and whether it was still its station's (which then counts Offline)."""

    identity: StationIdentity
    offline: bool  # False: a newer connection had replaced it, the station stays online


def left(connection_id: str, now: datetime) -> Departure | None:
    """The connection ended: its item goes, and its station is Offline if this was still its connection.
    None when the connection is unknown (already handled, or never recorded)."""
    identity = station_of(connection_id)
    _CACHE.pop(connection_id, None)
    if identity is None:
        return None
    store().connections.delete(connection_id)
    current = _mark_offline(identity, connection_id, now)
    logger.info("disconnected", extra={"station_id": identity.station_id, "current": current})
    return Departure(identity, current)


def disconnected(connection_id: str, now: datetime) -> StationIdentity | None:
    departure = left(connection_id, now)
    return departure.identity if departure is not None else None


def gone(connection_id: str, now: datetime) -> None:
    """A send found the socket gone (GoneException): the station is no longer connected."""
    disconnected(connection_id, now)


def _mark_offline(identity: StationIdentity, connection_id: str, now: datetime) -> bool:
    """The station's connection cleared and its points counted Offline, if this is still its connection."""
    org_id, station_id = identity.org_id, identity.station_id
    closed = ConnectionClosed(connection_id, now)
    try:
        if aggregates.change(org_id, station_id, lambda live: _online(live, False), closed):
            return True
    except aggregates.Refused:
        return False  # a newer connection replaced this one: the station stays online
    return store().connections.mark_disconnected(org_id, station_id, connection_id, now)


def _online(live: aggregates.Live, connected: bool) -> aggregates.Live:
    live.connected = connected
    return live


def _remember(connection_id: str, identity: StationIdentity) -> None:
    _CACHE[connection_id] = identity
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)


def _close_replaced(previous: Previous, now: datetime) -> None:
    """Close the replaced socket; one still in its $connect is retried briefly until it is open."""
    young = previous.connected_at is not None and now - previous.connected_at < YOUNG
    for pause in (*CLOSE_RETRIES, None) if young else (None,):
        try:
            store().chargers.close(previous.connection_id)
            logger.info("replaced connection closed", extra={"connection_id": previous.connection_id})
            return
        except ChargerGone:
            if pause is None:
                break
            time.sleep(pause)
        except Exception:  # the management API refused: nothing more to do here
            logger.warning("replaced connection not closed", extra={"connection_id": previous.connection_id})
            return
    logger.info("replaced connection already gone", extra={"connection_id": previous.connection_id})
