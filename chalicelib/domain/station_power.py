"""A station's current power: the sum over its charging connectors of their sessions' latest power reading.

MeterValues already keeps the latest counted reading's power on each session (`power_w`), so this costs
no write: one Query of the station's newest sessions, made only when a connector reports Charging. Only
the newest session of a connector can be the one charging; an older active one is stale.
"""

from __future__ import annotations

from chalicelib.ports.registry import store

CHARGING = "Charging"
EXTRA_SESSIONS = 10  # beyond one per connector: a few just-stopped ones before the active ones


def current_power_kw(org_id: str, station_id: str, statuses: dict[int, str], point_count: int) -> float | None:
    """kW now delivered; 0 when nothing charges; None when a connector charges but reported no power."""
    charging = {c for c, status in statuses.items() if status == CHARGING and c > 0}
    if not charging:
        return 0.0
    newest: dict[int, float | None] = {}
    limit = max(point_count, len(charging)) + EXTRA_SESSIONS
    for session in store().station_settings.latest_sessions(org_id, station_id, limit):
        if session.connector_id not in newest:
            newest[session.connector_id] = session.power_w if session.state == "Active" else None
    powers = [newest.get(c) for c in charging]
    known = [p for p in powers if p is not None]
    if not known:
        return None
    return round(sum(known) / 1000, 3)
