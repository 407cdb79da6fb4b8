"""Organizations: name, time zone and the edit version."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.storage.models import OrganizationItem
from chalicelib.storage.operators import CONDITION_FAILED, Stale, WriteFailed


def get_organization(org_id: str) -> OrganizationItem | None:
    try:
        return OrganizationItem.get(org_id)
    except DoesNotExist:
        return None


def update_organization(item: OrganizationItem, seen_version: int, name: str, timezone: str) -> None:
    """Set name and time zone only if the organization is still at `seen_version`."""
    if seen_version != (item.version or 0):  # 0: an item saved before it had a version
        raise Stale(str(seen_version))
    try:
        item.update(actions=[OrganizationItem.name.set(name), OrganizationItem.timezone.set(timezone)])
    except UpdateError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            raise Stale(item.org_id) from exc
        raise WriteFailed(str(exc)) from exc
