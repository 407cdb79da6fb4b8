"""The throttle port on DynamoDB (table auth-throttle): conditional UpdateItems per attempt key."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.ports.throttle import TrustedDevice
from chalicelib.storage import throttle


class DynamoThrottle:
    def reserve(self, key: str, limit: int, now: datetime, window: timedelta) -> bool:
        return throttle.reserve(key, limit, now, window)

    def release(self, key: str) -> None:
        throttle.release(key)

    def clear(self, key: str) -> None:
        throttle.clear(key)

    def attempts(self, key: str) -> int:
        return throttle.attempts(key)

    def trust_device(self, device_hash: str, username: str, expires_at: datetime) -> None:
        throttle.put_device(device_hash, username, expires_at)

    def device(self, device_hash: str) -> TrustedDevice | None:
        return throttle.get_device(device_hash)


def build() -> DynamoThrottle:
    return DynamoThrottle()
