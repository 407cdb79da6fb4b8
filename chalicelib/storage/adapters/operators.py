"""The operators port on DynamoDB: tables operators, organizations, operator-sessions and operator-tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib.ports import errors
from chalicelib.ports.operators import EDITABLE, GroupRef, LinkToken, LoginSession, Operator, Organization
from chalicelib.ports.paging import Page
from chalicelib.storage import operators as ops
from chalicelib.storage import organizations as orgs
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import (
    ChargingGroupItem,
    OperatorItem,
    OperatorSessionItem,
    OperatorTokenItem,
    OrganizationItem,
)
from chalicelib.storage.versions import versioned

FIELDS = (
    "username", "org_id", "email", "first_name", "last_name", "role", "base_group_id", "status", "password_hash",
    "invited_at", "password_changed_at", "sessions_valid_from", "reset_sent_at", "email_key",
)  # fmt: skip


def search_text(username: str, first_name: str, last_name: str, email: str) -> str:
    """What the operator list's search box matches (a DynamoDB `contains` on one lower-case attribute)."""
    return f"{username} {first_name} {last_name} {email}".lower()


def operator_of(item: OperatorItem) -> Operator:
    values = {name: getattr(item, name) for name in FIELDS}
    return Operator(**values, activated=bool(item.activated), version=item.version or 0)


def _versioned_update(item, seen_version: int, actions: list) -> None:
    """Update as of the version the caller saw (PynamoDB adds the version condition and bumps it)."""
    if seen_version != (item.version or 0):
        raise errors.ConditionFailed(str(seen_version))
    try:
        item.update(actions=actions)
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.ConditionFailed(str(seen_version)) from exc
        raise errors.StorageUnavailable(str(exc)) from exc


class DynamoOperators:
    def operator(self, username: str) -> Operator | None:
        item = ops.get_operator(username)
        return operator_of(item) if item is not None else None

    def operators_page(self, org_id, limit, cursor, q, status, keep: Callable[[Operator], bool] | None = None) -> Page[Operator]:
        test = (lambda item: keep(operator_of(item))) if keep else None
        page = ops.operators_page(org_id, limit, cursor, q, status, test)
        return Page([operator_of(item) for item in page.items], page.cursor)

    def usernames_with_email(self, email: str, limit: int = 10) -> list[str]:
        return ops.usernames_with_email(email.lower(), limit)

    def create_operator(self, operator: Operator) -> Operator:
        values = {name: getattr(operator, name) for name in FIELDS if name != "username"}
        item = OperatorItem(operator.username, **values, activated=operator.activated)
        item.email_key = operator.email.lower()
        item.search = search_text(operator.username, operator.first_name, operator.last_name, operator.email)
        try:
            ops.create_operator(item)
        except ops.AlreadyExists as exc:
            raise errors.AlreadyExists(operator.username) from exc
        except ops.WriteFailed as exc:
            raise errors.StorageUnavailable(str(exc)) from exc
        return operator_of(item)

    def update_operator(self, current, seen_version: int, changes: dict) -> Operator:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        item = OperatorItem(current.username, **versioned(current.version))
        actions = [getattr(OperatorItem, name).set(value) for name, value in changes.items()]
        if "email" in changes:
            actions.append(OperatorItem.email_key.set(changes["email"].lower()))
        if changes.keys() & {"first_name", "last_name", "email"}:
            merged = [changes.get(name, getattr(current, name)) for name in ("first_name", "last_name", "email")]
            actions.append(OperatorItem.search.set(search_text(current.username, *merged)))
        _versioned_update(item, seen_version, actions)
        return operator_of(item)

    def delete_operator(self, username: str) -> None:
        try:
            OperatorItem(username).delete(condition=OperatorItem.username.exists(), add_version_condition=False)
        except DeleteError as exc:
            if condition_failed(exc):
                raise errors.NotFound(username) from exc
            raise

    def set_password(self, username: str, password_hash: str, now: datetime, *, activate=False, end_sessions=False) -> bool:
        return ops.set_password(username, password_hash, now, activate=activate, end_sessions=end_sessions)

    def mark_invited(self, username: str, now: datetime) -> bool:
        return ops.mark_invited(username, now)

    def mark_reset_sent(self, username: str, now: datetime) -> bool:
        return ops.mark_reset_sent(username, now)

    def group(self, org_id: str, group_id: str) -> GroupRef | None:
        item = ops.get_group(org_id, group_id)
        return group_ref(item) if item is not None else None

    def group_names_under(self, org_id: str, path: str) -> dict[str, str]:
        return ops.group_names_under(org_id, path)

    def organization(self, org_id: str) -> Organization | None:
        item = orgs.get_organization(org_id)
        return _organization(item) if item is not None else None

    def update_organization(self, current, seen_version: int, name: str, timezone: str) -> Organization:
        item = OrganizationItem(current.org_id, **versioned(current.version))
        _versioned_update(item, seen_version, [OrganizationItem.name.set(name), OrganizationItem.timezone.set(timezone)])
        return _organization(item)

    def put_session(self, session: LoginSession) -> None:
        values = {name: getattr(session, name) for name in ("username", "org_id", "role_at_login", "created_at", "expires_at")}
        ops.put_session(OperatorSessionItem(session.token_hash, **values, expires=session.expires_at))

    def session(self, token_hash: str) -> LoginSession | None:
        item = ops.get_session(token_hash)
        if item is None:
            return None
        return LoginSession(item.token_hash, item.username, item.org_id, item.role_at_login, item.created_at, item.expires_at)

    def delete_session(self, token_hash: str) -> None:
        ops.delete_session(token_hash)

    def put_link(self, token: LinkToken) -> None:
        values = {name: getattr(token, name) for name in ("kind", "username", "email_key", "issued_at", "expires_at")}
        try:
            ops.put_token(OperatorTokenItem(token.token_hash, **values, expires=token.expires_at))
        except ops.WriteFailed as exc:
            raise errors.StorageUnavailable(str(exc)) from exc

    def link(self, token_hash: str) -> LinkToken | None:
        item = ops.get_token(token_hash)
        if item is None:
            return None
        return LinkToken(item.token_hash, item.kind, item.username, item.email_key, item.issued_at, item.expires_at)

    def use_link(self, token_hash: str) -> bool:
        return ops.use_token(OperatorTokenItem(token_hash))

    def delete_link(self, token_hash: str) -> None:
        ops.delete_token(token_hash)


def _organization(item: OrganizationItem) -> Organization:
    return Organization(item.org_id, item.name, item.timezone or "", version=item.version or 0)


def group_ref(item: ChargingGroupItem) -> GroupRef:
    return GroupRef(item.group_id, item.name, item.path)


def build() -> DynamoOperators:
    return DynamoOperators()

