"""What a handler knows about the frame it answers: who sent it, and when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib import clock


@dataclass(slots=True)
class StationContext:
    org_id: str
    station_id: str
    connection_id: str
    message_id: str = ""
    received_at: datetime = field(default_factory=clock.now)
    # Connector id -> configured maximum power in W, read with the connection (the energy rule).
    powers: dict[int, float] = field(default_factory=dict)
    # Work that must wait until the answer to this frame has been sent (e.g. our queued calls after a
    # BootNotification's answer): ws/hooks.py runs each after sending, in order.
    after_answer: list[Callable[[], object]] = field(default_factory=list)
