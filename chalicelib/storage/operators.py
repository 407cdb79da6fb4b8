"""Operator accounts, login sessions and e-mailed single-use tokens."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import ChargingGroupItem, OperatorItem, OperatorSessionItem, OperatorTokenItem
from chalicelib.storage.paging import Page, query_page


class AlreadyExists(Exception):
    """The username is taken."""


class WriteFailed(Exception):
    """DynamoDB refused a write for another reason than its condition (after PynamoDB's retries)."""


def get_operator(username: str) -> OperatorItem | None:
    try:
        return OperatorItem.get(username)
    except DoesNotExist:
        return None


def get_group(org_id: str, group_id: str) -> ChargingGroupItem | None:
    try:
        return ChargingGroupItem.get(org_id, group_id)
    except DoesNotExist:
        return None


def group_names_under(org_id: str, path: str) -> dict[str, str]:
    """Group id -> name for the groups of a subtree (one Query on `by-path`; "/" = the organization)."""
    query = ChargingGroupItem.by_path.query(org_id, ChargingGroupItem.path.startswith(path))
    return {g.group_id: g.name for g in query}


def operators_page(org_id: str, limit: int, cursor: str | None, q: str | None, status: str | None, keep=None) -> Page:
    """One page of an organization's operators by username (Query `by-org`), searched and filtered."""
    condition = None
    if q:
        condition = OperatorItem.search.contains(q.lower())
    if status == "Invited":
        condition &= OperatorItem.activated == False  # noqa: E712 (a DynamoDB condition, not a comparison)
    elif status is not None:
        condition &= (OperatorItem.status == status) & (OperatorItem.activated == True)  # noqa: E712
    return query_page(
        lambda **kw: OperatorItem.by_org.query(org_id, filter_condition=condition, **kw),
        limit,
        cursor,
        hash_key=("org_id", org_id),
        keep=keep,
    )


def usernames_with_email(email_key: str, limit: int = 10) -> list[str]:
    return [item.username for item in OperatorItem.by_email.query(email_key, limit=limit)]


def create_operator(item: OperatorItem) -> None:
    try:
        item.save(condition=OperatorItem.username.does_not_exist())
    except PutError as exc:
        if condition_failed(exc):
            raise AlreadyExists(item.username) from exc
        raise WriteFailed(str(exc)) from exc


def touch(username: str, actions: list) -> bool:
    """Bookkeeping (password, mails sent) without bumping the edit version:
    an operator logging in must not make an admin's open edit stale. False if the operator is gone."""
    try:
        OperatorItem._get_connection().update_item(username, actions=actions, condition=OperatorItem.username.exists())
    except UpdateError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def set_password(username: str, password_hash: str, now: datetime, *, activate: bool = False, end_sessions: bool = False) -> bool:
    """A new password ends the older reset links; a reset through a link also ends the sessions
    opened before it."""
    actions = [OperatorItem.password_hash.set(password_hash), OperatorItem.password_changed_at.set(now)]
    if activate:
        actions.append(OperatorItem.activated.set(True))
    if end_sessions:
        actions.append(OperatorItem.sessions_valid_from.set(now))
    return touch(username, actions)


def mark_invited(username: str, now: datetime) -> bool:
    return touch(username, [OperatorItem.invited_at.set(now)])


def mark_reset_sent(username: str, now: datetime) -> bool:
    return touch(username, [OperatorItem.reset_sent_at.set(now)])


def put_session(item: OperatorSessionItem) -> None:
    item.save(condition=OperatorSessionItem.token_hash.does_not_exist())


def get_session(token_hash: str) -> OperatorSessionItem | None:
    try:
        return OperatorSessionItem.get(token_hash)
    except DoesNotExist:
        return None


def delete_session(token_hash: str) -> None:
    OperatorSessionItem(token_hash).delete()


def put_token(item: OperatorTokenItem) -> None:
    try:
        item.save(condition=OperatorTokenItem.token_hash.does_not_exist())
    except PutError as exc:
        raise WriteFailed(str(exc)) from exc


def get_token(token_hash: str) -> OperatorTokenItem | None:
    try:
        return OperatorTokenItem.get(token_hash, consistent_read=True)
    except DoesNotExist:
        return None


def use_token(item: OperatorTokenItem) -> bool:
    """Delete a single-use token; False if a concurrent request used it first."""
    try:
        item.delete(condition=OperatorTokenItem.token_hash.exists())
    except DeleteError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def delete_token(token_hash: str) -> None:
    OperatorTokenItem(token_hash).delete()
