"""The load-management port in memory."""

from __future__ import annotations

from chalicelib.ports.load import GroupLimit, LoadSettings


class MemoryLoad:
    def __init__(self, state) -> None:
        self.limits: dict[tuple[str, str], GroupLimit] = state.collection("load.limits")
        self.excluded: set[tuple[str, str]] = state.collection("load.excluded").setdefault("set", set())

    def settings(self, org_id: str) -> LoadSettings:
        limits = {g: limit for (o, g), limit in self.limits.items() if o == org_id}
        return LoadSettings(limits, frozenset(s for o, s in self.excluded if o == org_id))

    def set_limit(self, org_id: str, limit: GroupLimit) -> None:
        self.limits[(org_id, limit.group_id)] = limit

    def clear_limit(self, org_id: str, group_id: str) -> bool:
        return self.limits.pop((org_id, group_id), None) is not None

    def set_excluded(self, org_id: str, station_id: str, excluded: bool) -> None:
        (self.excluded.add if excluded else self.excluded.discard)((org_id, station_id))


def build(state) -> MemoryLoad:
    return MemoryLoad(state)
