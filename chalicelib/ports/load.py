"""The load-management port: groups' current limits and stations excluded from load management
(docs/adr/0017-stuck-sessions-and-load-management.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GroupLimit:
    """A group's limit in amperes per phase, shared by the charging connectors of its subtree."""

    group_id: str
    limit_a: float
    phases: int = 3
    min_a: float = 6.0


@dataclass(frozen=True)
class LoadSettings:
    """An organization's limits (by group id) and excluded station ids: one Query."""

    limits: dict[str, GroupLimit]
    excluded: frozenset[str]


class Load(Protocol):
    def settings(self, org_id: str) -> LoadSettings: ...

    def set_limit(self, org_id: str, limit: GroupLimit) -> None: ...

    def clear_limit(self, org_id: str, group_id: str) -> bool:
        """False when the group had no limit."""

    def set_excluded(self, org_id: str, station_id: str, excluded: bool) -> None: ...
