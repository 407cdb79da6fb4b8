"""A station's connection ended ($disconnect, or the silent-stations job): what follows from it, in one place."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import commands, connections
from chalicelib.ports.calls import Command


def station_left(connection_id: str, now: datetime) -> list[Command]:
    """The station counts Offline if this was still its connection, and then its pending calls fail at once
    (none can be answered any more); the calls that failed, for their follow-up hooks. A connection a
    newer one had replaced changes nothing of the station's."""
    departure = connections.left(connection_id, now)
    if departure is None or not departure.offline:
        return []
    return commands.abandon(departure.identity.org_id, departure.identity.station_id, now)
