"""Atomic attempt counters and trusted devices of the guessing throttle (table auth-throttle)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.ports.throttle import TrustedDevice
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import AttemptItem, DeviceItem


def _update(key: str, actions: list, condition) -> bool:
    """One conditional UpdateItem; False when its condition did not hold."""
    try:
        AttemptItem._get_connection().update_item(key, actions=actions, condition=condition)
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def reserve(key: str, limit: int, now: datetime, window: timedelta) -> bool:
    """Take one of `limit` attempts of the key's current window; False when they are all taken.

    Either the window is open and has room (ADD 1), or it has ended and a new one starts at 1.
    Each is one conditional write, so concurrent callers never take more than `limit` in a window.
    """
    now_s = int(now.timestamp())
    end = now_s + int(window.total_seconds())
    expires = datetime.fromtimestamp(end, now.tzinfo) + timedelta(hours=1)
    in_window = AttemptItem.attempts.does_not_exist() | (
        (AttemptItem.attempts < limit) & (AttemptItem.window_end > now_s)
    )
    ended = AttemptItem.window_end <= now_s
    for _ in range(2):  # a concurrent request may have started the new window in between
        if _update(key, [AttemptItem.attempts.add(1), AttemptItem.window_end.set(AttemptItem.window_end | end),
                         AttemptItem.expires.set(AttemptItem.expires | expires)], in_window):
            return True
        if _update(key, [AttemptItem.attempts.set(1), AttemptItem.window_end.set(end),
                         AttemptItem.expires.set(expires)], ended):
            return True
    return False


def release(key: str) -> None:
    """Give one reserved attempt back (the attempt succeeded, or another limit refused it)."""
    _update(key, [AttemptItem.attempts.add(-1)], AttemptItem.attempts > 0)


def clear(key: str) -> None:
    AttemptItem(key).delete()


def attempts(key: str) -> int:
    """Attempts taken in the key's window as stored (tests and diagnostics)."""
    try:
        return int(AttemptItem.get(key, consistent_read=True).attempts or 0)
    except DoesNotExist:
        return 0


def put_device(device_hash: str, username: str, expires_at: datetime) -> None:
    DeviceItem(f"DEVICE#{device_hash}", username=username, expires_at=expires_at, expires=expires_at).save()


def get_device(device_hash: str) -> TrustedDevice | None:
    try:
        item = DeviceItem.get(f"DEVICE#{device_hash}")
    except DoesNotExist:
        return None
    return TrustedDevice(item.username, item.expires_at)
