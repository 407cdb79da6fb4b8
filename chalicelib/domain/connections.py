"""Connection bookkeeping: $connect records, $disconnect clears its own, frames find their station."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from chalicelib.domain import aggregates
from chalicelib.domain.identity import StationIdentity
from chalicelib.observability import logger
from chalicelib.storage import stations
from chalicelib.storage.writes import Refused

# A connection id names one socket for its whole life and is never reused, so its station is an
# immutable fact: a warm Lambda may remember it instead of reading it again. Correctness never
# depends on this cache; a cold container simply reads the item.
_CACHE: OrderedDict[str, StationIdentity] = OrderedDict()
_CACHE_SIZE = 20_000


def connected(identity: StationIdentity, previous_connection: str | None, connection_id: str, now: datetime, api) -> None:
    org_id, station_id = identity.org_id, identity.station_id

    def writes(tx) -> None:
        stations.add_connect(tx, org_id, station_id, connection_id, now)

    # Its points leave "Offline" in the same transaction; guarded against the old socket's $disconnect.
    if not aggregates.change(org_id, station_id, lambda live: _online(live, True), writes, guard=True):
        stations.record_connect(org_id, station_id, connection_id, now)
    _remember(connection_id, identity)
    if previous_connection and previous_connection != connection_id:
        # Last connect wins: the old socket is closed (its $disconnect then finds it is not current).
        _close_quietly(api, previous_connection)


def station_of(connection_id: str) -> StationIdentity | None:
    identity = _CACHE.get(connection_id)
    if identity is not None:
        return identity
    item = stations.get_connection(connection_id)
    if item is None:
        return None
    identity = StationIdentity(item.org_id, item.station_id)
    _remember(connection_id, identity)
    return identity


def disconnected(connection_id: str, now: datetime) -> StationIdentity | None:
    identity = station_of(connection_id)
    _CACHE.pop(connection_id, None)
    if identity is None:
        return None
    stations.delete_connection(connection_id)
    current = _mark_offline(identity, connection_id, now)
    logger.info("disconnected", extra={"station_id": identity.station_id, "current": current})
    return identity


def gone(connection_id: str, now: datetime) -> None:
    """A send found the socket gone (GoneException): the station is no longer connected."""
    disconnected(connection_id, now)


def _mark_offline(identity: StationIdentity, connection_id: str, now: datetime) -> bool:
    """The station's connection cleared and its points counted Offline, if this is still its connection."""
    org_id, station_id = identity.org_id, identity.station_id

    def writes(tx) -> None:
        stations.add_disconnect(tx, org_id, station_id, connection_id, now)

    try:
        if aggregates.change(org_id, station_id, lambda live: _online(live, False), writes):
            return True
    except Refused:
        return False  # a newer connection replaced this one: the station stays online
    return stations.mark_disconnected(org_id, station_id, connection_id, now)


def _online(live: aggregates.Live, connected: bool) -> aggregates.Live:
    live.connected = connected
    return live


def _remember(connection_id: str, identity: StationIdentity) -> None:
    _CACHE[connection_id] = identity
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)


def _close_quietly(api, connection_id: str) -> None:
    try:
        api.close(connection_id)
    except Exception:  # already gone, or the management API refused: nothing to close
        logger.info("old connection already closed", extra={"connection_id": connection_id})
