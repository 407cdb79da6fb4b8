"""Operators as admins manage them: list, view, edit, delete, always within the admin's domain.

An admin sees the operators whose base group lies in the admin's base group subtree (an operator
whose base group is gone only by an admin of the whole organization); any other answers like a
missing one, "Operator not found.". No one deactivates, demotes, moves or deletes their own account,
so an organization always keeps the admin who could undo a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.access import Principal
from chalicelib.domain.errors import GROUP_MISSING, OPERATOR_MISSING, Conflict, Denied, DomainError, NotFound
from chalicelib.ports import errors as stored
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store

UPDATE_FAILED = "Error while updating operator."
NOT_YOURSELF = "You cannot deactivate, demote, move or delete your own operator account."
ACTIVE = "Active"
INACTIVE = "Inactive"


class UpdateFailed(DomainError):
    """A transient failure saving an operator ("Retry.")."""

    status = 503


@dataclass(frozen=True)
class Operator:
    username: str
    email: str
    first_name: str
    last_name: str
    role: str
    status: str
    activated: bool
    base_group_id: str
    base_group_name: str | None
    invited_at: datetime | None
    version: int

    @classmethod
    def of(cls, item, group_name: str | None) -> Operator:
        return cls(
            username=item.username,
            email=item.email,
            first_name=item.first_name,
            last_name=item.last_name,
            role=item.role,
            status=item.status,
            activated=bool(item.activated),
            base_group_id=item.base_group_id,
            base_group_name=group_name,
            invited_at=item.invited_at,
            version=item.version or 0,
        )


@dataclass(frozen=True)
class Change:
    """What an admin may change on an operator (the version is the one the admin saw)."""

    version: int
    first_name: str
    last_name: str
    email: str
    role: str
    status: str
    base_group_id: str


def domain_groups(principal: Principal) -> dict[str, str]:
    """Group id -> name of every group in the principal's domain."""
    return store().operators.group_names_under(principal.org_id, "/" if principal.is_org_root else principal.base_path)


def domain_group(principal: Principal, group_id: str):
    """A group the principal may give as a base group, else "Charging group does not exist."."""
    group = store().operators.group(principal.org_id, group_id)
    if group is None or not (principal.is_org_root or principal.covers(group.path)):
        raise NotFound(GROUP_MISSING)
    return group


def visible(principal: Principal, username: str):
    """The operator and their base group if they lie in the principal's domain, else "Operator not found."."""
    item = store().operators.operator(username)
    if item is None or item.org_id != principal.org_id:
        raise NotFound(OPERATOR_MISSING)
    group = store().operators.group(item.org_id, item.base_group_id)
    if not principal.is_org_root and (group is None or not principal.covers(group.path)):
        raise NotFound(OPERATOR_MISSING)
    return item, group


def list_operators(principal: Principal, limit: int, cursor: str | None, q: str | None, status: str | None) -> Page:
    """A page of the domain's operators by username, with the names of their base groups."""
    names = domain_groups(principal)
    if principal.is_org_root:
        keep = None  # the whole organization, operators of a deleted base group included
    else:
        keep = lambda item: item.base_group_id in names  # noqa: E731
    page = store().operators.operators_page(principal.org_id, limit, cursor, q, status, keep)
    return Page([Operator.of(item, names.get(item.base_group_id)) for item in page.items], page.cursor)


def get_operator(principal: Principal, username: str) -> Operator:
    item, group = visible(principal, username)
    return Operator.of(item, group.name if group else None)


def update_operator(principal: Principal, username: str, change: Change) -> Operator:
    item, group = visible(principal, username)
    if username == principal.username and (change.status, change.role, change.base_group_id) != (item.status, item.role, item.base_group_id):
        raise Denied(NOT_YOURSELF)
    if change.base_group_id != item.base_group_id:
        group = domain_group(principal, change.base_group_id)
    changes = {
        "first_name": change.first_name,
        "last_name": change.last_name,
        "email": change.email,
        "role": change.role,
        "status": change.status,
        "base_group_id": change.base_group_id,
    }
    saved = save(item, change.version, changes)
    return Operator.of(saved, group.name if group else None)


def save(item, version: int, changes: dict):
    """Apply an edit made on `version`: a stale one is the manual's "Operator not found."."""
    try:
        return store().operators.update_operator(item, version, changes)
    except stored.ConditionFailed as exc:
        raise Conflict(OPERATOR_MISSING) from exc
    except stored.StorageUnavailable as exc:
        raise UpdateFailed(UPDATE_FAILED) from exc


def delete_operator(principal: Principal, username: str) -> None:
    item, _group = visible(principal, username)
    if username == principal.username:
        raise Denied(NOT_YOURSELF)
    try:
        store().operators.delete_operator(item.username)
    except stored.NotFound as exc:
        raise NotFound(OPERATOR_MISSING) from exc

