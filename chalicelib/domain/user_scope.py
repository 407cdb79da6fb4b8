"""Which charging users, user groups, charging groups and stations an operator sees (one per request).

A charging user or user group belongs to the base group of the operator who created it (its home
group): an operator sees it iff the home group is inside their domain. Items without a home group
(or whose home group is gone) are seen by operators whose domain is the whole organization.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from chalicelib.domain.access import Principal
from chalicelib.domain.errors import GROUP_MISSING, STATION_MISSING, USER_MISSING, NotFound
from chalicelib.ports.registry import store


class Scope:
    """An operator's view, with the domain's group ids read once (lazily) and kept for the request."""

    def __init__(self, operator: Principal) -> None:
        self.operator = operator
        self.org_id = operator.org_id
        self._groups: dict[str, str] | None = None

    @property
    def groups(self) -> dict[str, str]:
        """group id -> path of the charging groups in the operator's domain."""
        if self._groups is None:
            self._groups = store().users.domain_groups(self.org_id, self.operator.base_path)
        return self._groups

    def sees_home(self, home_group_id: str | None) -> bool:
        if home_group_id and home_group_id in self.groups:
            return True
        return self.operator.is_org_root

    def sees(self, item) -> bool:
        """A charging user or user group of the operator's organization: is it in the domain?"""
        return item is not None and item.org_id == self.org_id and self.sees_home(item.home_group_id)

    def visible_groups(self, group_ids: Iterable[str]) -> list[str]:
        return [group_id for group_id in group_ids if group_id in self.groups]

    def visible_stations(self, station_ids: Iterable[str]) -> list[str]:
        station_ids = list(dict.fromkeys(station_ids))
        paths = store().users.station_paths(self.org_id, station_ids) if station_ids else {}
        return [s for s in station_ids if s in paths and self._covers_station(paths[s])]

    def require_groups(self, group_ids: list[str]) -> None:
        if any(group_id not in self.groups for group_id in group_ids):
            raise NotFound(GROUP_MISSING)

    def require_stations(self, station_ids: list[str]) -> None:
        if len(self.visible_stations(station_ids)) != len(set(station_ids)):
            raise NotFound(STATION_MISSING)

    def _covers_station(self, group_path: str | None) -> bool:
        if group_path is None:
            return self.operator.is_org_root  # orphans belong to the whole organization
        return self.operator.covers(group_path)


def merge_rights(stored: list[str], given: list[str], visible: list[str]) -> list[str]:
    """Rights after an edit: the ones the operator gave, plus the stored ones they cannot see."""
    hidden = [value for value in stored if value not in set(visible)]
    return list(dict.fromkeys([*given, *hidden]))


def user_key(user_id: str) -> str:
    """A charging user's id is their lower-cased e-mail address (a path parameter, maybe still encoded)."""
    return unquote(user_id).strip().lower()


def find_user(scope: Scope, user_id: str):
    """The charging user if the operator sees it; "Charging user not found." otherwise."""
    key = user_key(user_id)
    user = store().users.user(scope.org_id, key) if 0 < len(key) <= 254 else None
    if not scope.sees(user):
        raise NotFound(USER_MISSING)
    return user
