"""The guessing throttle's port: atomic attempt counters per key and window, and trusted devices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class TrustedDevice:
    username: str
    expires_at: datetime


class Throttle(Protocol):
    def reserve(self, key: str, limit: int, now: datetime, window: timedelta) -> bool:
        """Take one of `limit` attempts of the key's current window (a new window once it ended);
        False when they are all taken. Concurrent callers never take more than `limit`."""

    def release(self, key: str) -> None:
        """Give one reserved attempt back (never below zero)."""

    def clear(self, key: str) -> None:
        """Forget the key's attempts."""

    def attempts(self, key: str) -> int:
        """Attempts taken in the key's window as stored (tests and diagnostics)."""

    def trust_device(self, device_hash: str, username: str, expires_at: datetime) -> None: ...

    def device(self, device_hash: str) -> TrustedDevice | None: ...
