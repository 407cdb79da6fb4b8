"""How often a station is told to send a heartbeat, how long it may then stay silent, and when to look (ADR 0022)."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.settings import get_settings

# Seconds before a station not Accepted boots again (OCPP 1.6 section 4.2): Pending soon, as an operator
# may accept it any moment; Rejected rarely (API Gateway closes it after 10 silent minutes meanwhile).
PENDING_RETRY_INTERVAL = 60
REJECTED_RETRY_INTERVAL = 900
# API Gateway closes a connection idle this long itself (its $disconnect then does the bookkeeping), and
# every connection after GATEWAY_LIFETIME; the last check comes a little after, for a lost $disconnect.
GATEWAY_IDLE = timedelta(minutes=10)
GATEWAY_LIFETIME = timedelta(hours=2)
SWEEP_AFTER = GATEWAY_LIFETIME + timedelta(minutes=5)


def interval(registration: str) -> int:
    """Seconds between a station's heartbeats (or boots), as BootNotification answers a station so registered."""
    intervals = {"Accepted": get_settings().heartbeat_interval, "Rejected": REJECTED_RETRY_INTERVAL}
    return intervals.get(registration, PENDING_RETRY_INTERVAL)


def silence_limit(registration: str) -> timedelta:
    """A connected station not heard for longer than this is taken as gone: twice its heartbeat interval."""
    return timedelta(seconds=2 * interval(registration))


def next_check(heard_at: datetime, registration: str) -> datetime:
    """When a station heard at `heard_at` (or connected then) must be looked at next: when it could first be
    silent too long, unless the gateway's idle time-out closes it by then anyway; then only once its
    connection must have ended, to catch a $disconnect API Gateway never delivered (it is best effort)."""
    limit = silence_limit(registration)
    return heard_at + limit if limit < GATEWAY_IDLE else heard_at + SWEEP_AFTER
