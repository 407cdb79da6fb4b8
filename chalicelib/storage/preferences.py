"""Operators' own preferences (the dashboard's group selection): not an edit of the operator account."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.storage.models import OperatorItem


def dashboard_groups(username: str) -> list[str] | None:
    try:
        item = OperatorItem.get(username, attributes_to_get=["username", "dashboard_group_ids"])
    except DoesNotExist:
        return None
    return list(item.dashboard_group_ids) if item.dashboard_group_ids is not None else None


def save_dashboard_groups(username: str, group_ids: list[str]) -> None:
    """Stored without touching the account's version: a preference must not make an open edit form stale."""
    OperatorItem._get_connection().update_item(
        username,
        actions=[OperatorItem.dashboard_group_ids.set(group_ids)],
        condition=OperatorItem.username.exists(),
    )
