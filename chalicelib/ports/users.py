"""The users port: charging users, their RFID tokens and user groups, with the counters lists show.

A user's `token_count` and a user group's `member_count` move in the same atomic write as the change
itself. A write whose precondition fails raises `Refused` naming the items it guarded: "user",
"token", "token:<id>", "user_group", "user:<id>", "group:<id>"; a transient failure (conflicting
transaction, throttling) raises StorageUnavailable. Group records handed to a write are the ones the
caller loaded: their member counts move as of those records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.paging import Page


class Refused(ConditionFailed):
    """An atomic write was cancelled because the preconditions of these labelled items failed."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(", ".join(labels))
        self.labels = labels


@dataclass(frozen=True)
class ChargingUser:
    org_id: str
    user_id: str  # the lower-cased e-mail address
    first_name: str
    last_name: str
    email: str
    user_group_id: str | None = None
    active: bool = True
    access_group_ids: list[str] = field(default_factory=list)
    access_station_ids: list[str] = field(default_factory=list)
    home_group_id: str | None = None
    token_count: int = 0
    version: int = 0


@dataclass(frozen=True)
class RfidToken:
    org_id: str
    token_id: str
    user_id: str
    name: str | None = None
    status: str = "Active"
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    version: int = 0


@dataclass(frozen=True)
class UserGroup:
    org_id: str
    user_group_id: str
    name: str
    active: bool = True
    home_group_id: str | None = None
    member_count: int = 0
    version: int = 0


@dataclass(frozen=True)
class UserEdit:
    """A user's editable fields after the edit; a changed user group moves the member counts."""

    first_name: str
    last_name: str
    active: bool
    access_group_ids: list[str]
    access_station_ids: list[str]
    user_group_id: str | None


@dataclass(frozen=True)
class TokenEdit:
    name: str | None
    status: str
    valid_from: datetime | None
    valid_to: datetime | None


@dataclass(frozen=True)
class Membership:
    """A user group save: the users joining and leaving it (each as loaded), and the member count
    changes of the other groups they leave (group as loaded, change)."""

    joining: list[ChargingUser] = field(default_factory=list)
    leaving: list[ChargingUser] = field(default_factory=list)
    others: list[tuple[UserGroup, int]] = field(default_factory=list)


class Users(Protocol):
    def token(self, org_id: str, token_id: str) -> RfidToken | None: ...

    def user(self, org_id: str, user_id: str) -> ChargingUser | None: ...

    def user_group(self, org_id: str, user_group_id: str) -> UserGroup | None: ...

    def users_by_id(self, org_id: str, user_ids: Iterable[str]) -> dict[str, ChargingUser]: ...

    def user_groups_by_id(self, org_id: str, user_group_ids: Iterable[str]) -> dict[str, UserGroup]: ...

    def tokens_of(self, org_id: str, user_id: str) -> list[RfidToken]:
        """Every token of a user, in token id order (may lag a just-made write)."""

    def members_of(self, org_id: str, user_group_id: str, limit: int | None = None) -> list[ChargingUser]: ...

    def domain_groups(self, org_id: str, base_path: str) -> dict[str, str]:
        """Charging group id -> path of every group under `base_path`."""

    def station_paths(self, org_id: str, station_ids: Iterable[str]) -> dict[str, str | None]:
        """Station id -> group path (None: an orphan) of the stations that exist."""

    def users_page(
        self, org_id: str, limit: int, cursor: str | None, q: str | None, user_group_id: str | None,
        keep: Callable[[ChargingUser], bool] | None = None,
    ) -> Page[ChargingUser]:
        """Users by id (one user group's members when given); `q` searches names and e-mail."""

    def user_groups_page(
        self, org_id: str, limit: int, cursor: str | None, q: str | None, keep: Callable[[UserGroup], bool] | None = None
    ) -> Page[UserGroup]: ...

    def create_user(
        self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None
    ) -> tuple[ChargingUser, list[RfidToken]]:
        """The new user with its tokens, as saved; `group` (as loaded) gains a member."""

    def update_user(self, current: ChargingUser, edit: UserEdit, counts: list[tuple[UserGroup, int]]) -> ChargingUser:
        """As of `current.version`; `counts` are the member count changes of the groups moved between."""

    def delete_user(self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None) -> None: ...

    def add_token(self, user: ChargingUser, token: RfidToken) -> RfidToken: ...

    def update_token(self, current: RfidToken, edit: TokenEdit) -> RfidToken: ...

    def delete_token(self, user: ChargingUser, token: RfidToken) -> None: ...

    def create_user_group(self, group: UserGroup, membership: Membership) -> UserGroup: ...

    def update_user_group(self, current: UserGroup, name: str, active: bool, membership: Membership) -> UserGroup: ...

    def delete_user_group(self, group: UserGroup) -> None:
        """Only while it has no members (label "user_group")."""
