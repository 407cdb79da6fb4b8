"""Calls from the domain to connected chargers' sockets (API Gateway's @connections, or a test double)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ChargerGone(Exception):
    """The connection is not open (closed already, or still in its own $connect)."""

    def __init__(self, connection_id: str) -> None:
        super().__init__(connection_id)
        self.connection_id = connection_id


class Chargers(Protocol):
    def send(self, connection_id: str, text: str) -> None:
        """Send one OCPP-J frame to the charger; ChargerGone when its connection is not open."""

    def close(self, connection_id: str) -> None:
        """Close the socket (its $disconnect follows); ChargerGone when it is not open."""

    def last_active(self, connection_id: str) -> datetime | None:
        """When the charger last sent or was sent anything on this connection (the gateway keeps it: no
        write of ours per frame); None when the connection is not open."""
