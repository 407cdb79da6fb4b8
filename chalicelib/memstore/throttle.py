"""The throttle port in memory: the same window arithmetic as the DynamoDB conditions."""

from __future__ import annotations

from datetime import datetime, timedelta

from chalicelib.ports.throttle import TrustedDevice


class MemoryThrottle:
    def __init__(self, state) -> None:
        self._attempts: dict[str, list[int]] = state.collection("throttle_attempts")  # key -> [attempts, window end]
        self._devices: dict[str, TrustedDevice] = state.collection("throttle_devices")

    def reserve(self, key: str, limit: int, now: datetime, window: timedelta) -> bool:
        now_s = int(now.timestamp())
        end = now_s + int(window.total_seconds())
        counter = self._attempts.get(key)
        if counter is None:
            self._attempts[key] = [1, end]
        elif counter[0] < limit and counter[1] > now_s:
            counter[0] += 1
        elif counter[1] <= now_s:
            self._attempts[key] = [1, end]
        else:
            return False
        return True

    def release(self, key: str) -> None:
        counter = self._attempts.get(key)
        if counter is not None and counter[0] > 0:
            counter[0] -= 1

    def clear(self, key: str) -> None:
        self._attempts.pop(key, None)

    def attempts(self, key: str) -> int:
        counter = self._attempts.get(key)
        return counter[0] if counter else 0

    def trust_device(self, device_hash: str, username: str, expires_at: datetime) -> None:
        self._devices[device_hash] = TrustedDevice(username, expires_at)

    def device(self, device_hash: str) -> TrustedDevice | None:
        return self._devices.get(device_hash)


def build(state) -> MemoryThrottle:
    return MemoryThrottle(state)
