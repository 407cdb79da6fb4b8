"""Guessing throttle: attempts are reserved against limits before a password is checked (ADR 0009)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.ports.registry import store
from chalicelib.settings import get_settings

WINDOW = timedelta(minutes=15)
CLEAR = "clear"  # a success forgets the key's failures (the guesser proved who they are)
REFUND = "refund"  # a success gives back only its own attempt (shared keys: others' failures stay)
VIEWER_ADDRESS = "cloudfront-viewer-address"


class Throttled(Exception):
    """A limit has no attempt left in its window."""


@dataclass(frozen=True)
class Limit:
    key: str
    attempts: int
    on_success: str = CLEAR
    window: timedelta = WINDOW


def take(limits: list[Limit], now: datetime) -> None:
    """Reserve one attempt of every limit, or none of them (raises Throttled)."""
    counters = store().throttle
    taken: list[Limit] = []
    for limit in limits:
        if not counters.reserve(limit.key, limit.attempts, now, limit.window):
            for done in taken:
                counters.release(done.key)
            raise Throttled(limit.key)
        taken.append(limit)


def succeeded(limits: list[Limit]) -> None:
    counters = store().throttle
    for limit in limits:
        if limit.on_success == CLEAR:
            counters.clear(limit.key)
        else:
            counters.release(limit.key)


def forget(limits: list[Limit]) -> None:
    """Clear these limits' attempts whatever their rule on success."""
    counters = store().throttle
    for limit in limits:
        counters.clear(limit.key)


def source_address(source_ip: str | None, headers: dict) -> str:
    """The client's address: API Gateway's sourceIp, or CloudFront's viewer address when fronted by it.

    Behind CloudFront, sourceIp is an edge server's. CloudFront sets `CloudFront-Viewer-Address`
    ("<ip>:<port>") itself; it is read only where CSMS_TRUST_VIEWER_ADDRESS says CloudFront is in
    front. X-Forwarded-For is never read: its leftmost entries are whatever the client wrote.
    """
    if get_settings().trust_viewer_address:
        viewer = _ip(headers.get(VIEWER_ADDRESS, "").rpartition(":")[0])
        if viewer:
            return viewer
    return _ip(source_ip or "") or "unknown"


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip("[] ")))
    except ValueError:
        return None
