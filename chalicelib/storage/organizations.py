"""Organizations: read by the operators adapter and csmsctl."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.storage.models import OrganizationItem


def get_organization(org_id: str) -> OrganizationItem | None:
    try:
        return OrganizationItem.get(org_id)
    except DoesNotExist:
        return None
