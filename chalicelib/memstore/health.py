"""The health port in memory: dicts always answer."""

from __future__ import annotations

from chalicelib.memstore import MemoryState


class MemoryHealth:
    def check(self) -> None:
        return None


def build(state: MemoryState) -> MemoryHealth:
    return MemoryHealth()
