"""The organization's settings: its name and the IANA time zone used for display, reports and schedules.

Every stored time is UTC; the time zone only changes how times are shown and how days are cut.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from chalicelib.domain import scheduled_tasks
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import ACCESS_DENIED, Conflict, Denied, NotFound, Unavailable
from chalicelib.ports.errors import ConditionFailed, StorageUnavailable
from chalicelib.ports.registry import store

DEFAULT_TIMEZONE = "UTC"
ORGANIZATION_MISSING = "Organization not found."
CHANGED = "The organization was changed by someone else meanwhile. Refresh the page and try again."


@dataclass(frozen=True)
class Organization:
    org_id: str
    name: str
    timezone: str
    version: int


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    from zoneinfo import available_timezones

    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    return name in timezone_names()


def zone_of(org_id: str) -> ZoneInfo:
    """The organization's time zone (UTC when unset or unknown)."""
    item = store().operators.organization(org_id)
    name = item.timezone if item is not None and item.timezone else DEFAULT_TIMEZONE
    return ZoneInfo(name if is_timezone(name) else DEFAULT_TIMEZONE)


def local_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored UTC time as the organization's wall clock shows it."""
    return moment.astimezone(zone)


def _view(item) -> Organization:
    return Organization(item.org_id, item.name, item.timezone or DEFAULT_TIMEZONE, version=item.version or 0)


def get_organization(principal: Principal) -> Organization:
    item = store().operators.organization(principal.org_id)
    if item is None:
        raise NotFound(ORGANIZATION_MISSING)
    return _view(item)


def update_organization(principal: Principal, version: int, name: str, timezone: str) -> Organization:
    """Only an admin whose domain is the whole organization changes its settings."""
    principal.require_admin()
    if not principal.is_org_root:
        raise Denied(ACCESS_DENIED)
    item = store().operators.organization(principal.org_id)
    if item is None:
        raise NotFound(ORGANIZATION_MISSING)
    try:
        saved = store().operators.update_organization(item, version, name, timezone)
    except ConditionFailed as exc:
        raise Conflict(CHANGED) from exc
    except StorageUnavailable as exc:
        raise Unavailable(10) from exc
    if saved.timezone != item.timezone:
        # Tasks scheduled in the organization's local time follow its new zone from their next run on.
        scheduled_tasks.rezone(saved.org_id)
    return _view(saved)
