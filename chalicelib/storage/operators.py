"""Operator accounts, login sessions and e-mailed single-use tokens."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist

from chalicelib.storage.models import ChargingGroupItem, OperatorItem, OperatorSessionItem, OperatorTokenItem


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


def record_failed_login(operator: OperatorItem, locked_until: datetime | None) -> None:
    actions = [OperatorItem.failed_logins.add(1)]
    if locked_until is not None:
        actions.append(OperatorItem.locked_until.set(locked_until))
    operator.update(actions=actions, add_version_condition=False)


def clear_failed_logins(operator: OperatorItem) -> None:
    operator.update(
        actions=[OperatorItem.failed_logins.set(0), OperatorItem.locked_until.remove()],
        add_version_condition=False,
    )


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
    item.save(condition=OperatorTokenItem.token_hash.does_not_exist())


def take_token(token_hash: str, kind: str) -> OperatorTokenItem | None:
    """Read and delete a single-use token in one conditional delete; None if absent or of another kind."""
    try:
        item = OperatorTokenItem.get(token_hash)
    except DoesNotExist:
        return None
    if item.kind != kind:
        return None
    try:
        item.delete(condition=OperatorTokenItem.token_hash.exists())
    except DeleteError:
        return None  # used by a concurrent request
    return item
