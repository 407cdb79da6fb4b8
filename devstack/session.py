"""What API Gateway knows about one WebSocket session, and the slice of the gateway its connections use.

The connection (one TCP connection) and the management API (@connections) need a few of the gateway's
attributes; they see them through `GatewayView`, so neither imports the gateway that imports them.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from websockets.asyncio.server import ServerConnection

from devstack import events


@dataclass
class Session:
    """What API Gateway knows about one connection."""

    connection_id: str
    ws: ServerConnection
    station: str
    host: str
    source_ip: str
    user_agent: str
    api: str
    domain_name: str
    stage: str
    connected_at: float = field(default_factory=time.time)
    last_active: float = 0.0
    subprotocol: str | None = None
    closing: bool = False

    def context(self, route_key: str, event_type: str) -> dict[str, Any]:
        return events.request_context(
            route_key=route_key,
            event_type=event_type,
            connection_id=self.connection_id,
            connected_at_ms=int(self.connected_at * 1000),
            api=self.api,
            domain_name=self.domain_name,
            stage=self.stage,
            identity={"userAgent": self.user_agent, "sourceIp": self.source_ip},
        )


class GatewayView(Protocol):
    """The gateway as its connections and the @connections API see it (devstack/gateway.py)."""

    stage: str
    sessions: dict[str, Session]
    fronts: set[Any]
    connect_budget: float

    @property
    def management_endpoint(self) -> str: ...

    def close_soon(self, session: Session, code: int, reason: str) -> None: ...

    @property
    def admission(self) -> Any: ...

    def upgrade(self, front: Any) -> None: ...

    def upgrade_gone(self, front: Any) -> None: ...

    def connect_over(self, upgrade: Any) -> None: ...

    def spawn(self, work: Coroutine[Any, Any, None]) -> None: ...
