"""The operators port: operator accounts, organizations, log-in sessions and e-mailed single-use tokens.

Writes raise `chalicelib.ports.errors` types: AlreadyExists (username taken), ConditionFailed (the
operator or organization changed or vanished since the version the caller saw), StorageUnavailable
(the store refused after its retries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.ports.organizations import Organization  # noqa: F401 (re-exported)
from chalicelib.ports.paging import Page

# What an edit may change on an operator (email_key and the search text follow from them).
EDITABLE = frozenset({"first_name", "last_name", "email", "role", "status", "base_group_id"})


@dataclass(frozen=True)
class Operator:
    username: str
    org_id: str
    email: str
    first_name: str
    last_name: str
    role: str
    base_group_id: str
    status: str = "Active"
    activated: bool = True
    password_hash: str | None = None
    invited_at: datetime | None = None
    password_changed_at: datetime | None = None
    sessions_valid_from: datetime | None = None
    reset_sent_at: datetime | None = None
    email_key: str | None = None
    version: int = 0  # 0: never saved, or saved before it had a version


@dataclass(frozen=True)
class GroupRef:
    """The charging group an operator's rights hang from."""

    group_id: str
    name: str
    path: str


@dataclass(frozen=True)
class LoginSession:
    token_hash: str
    username: str
    org_id: str
    role_at_login: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class LinkToken:
    """An e-mailed single-use token, stored by its hash."""

    token_hash: str
    kind: str
    username: str
    email_key: str | None
    issued_at: datetime | None
    expires_at: datetime


class Operators(Protocol):
    def operator(self, username: str) -> Operator | None: ...

    def operators_page(
        self, org_id: str, limit: int, cursor: str | None, q: str | None, status: str | None,
        keep: Callable[[Operator], bool] | None = None,
    ) -> Page[Operator]:
        """An organization's operators by username; `q` searches username, names and e-mail; status
        "Invited" means not activated, any other status also requires activation."""

    def usernames_with_email(self, email: str, limit: int = 10) -> list[str]:
        """Usernames whose e-mail address is `email`, ignoring case."""

    def create_operator(self, operator: Operator) -> Operator:
        """Raises AlreadyExists when the username is taken."""

    def update_operator(self, current: Operator, seen_version: int, changes: dict) -> Operator:
        """Set EDITABLE fields if the operator is still at `seen_version`; bumps the version."""

    def delete_operator(self, username: str) -> None:
        """Raises NotFound when the operator is already gone."""

    def set_password(
        self, username: str, password_hash: str, now: datetime, *, activate: bool = False, end_sessions: bool = False
    ) -> bool:
        """Bookkeeping that leaves the edit version alone; False if the operator is gone."""

    def mark_invited(self, username: str, now: datetime) -> bool: ...

    def mark_reset_sent(self, username: str, now: datetime) -> bool: ...

    def group(self, org_id: str, group_id: str) -> GroupRef | None: ...

    def group_names_under(self, org_id: str, path: str) -> dict[str, str]:
        """Group id -> name of a subtree's groups ("/": the whole organization)."""

    def organization(self, org_id: str) -> Organization | None: ...

    def update_organization(self, current: Organization, seen_version: int, name: str, timezone: str) -> Organization: ...

    def put_session(self, session: LoginSession) -> None: ...

    def session(self, token_hash: str) -> LoginSession | None: ...

    def delete_session(self, token_hash: str) -> None: ...

    def put_link(self, token: LinkToken) -> None: ...

    def link(self, token_hash: str) -> LinkToken | None: ...

    def use_link(self, token_hash: str) -> bool:
        """Delete a single-use token; False if someone used it first."""

    def delete_link(self, token_hash: str) -> None: ...
