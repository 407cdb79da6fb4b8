"""Firmware versions across an operator's domain: each station's version (from its BootNotification),
its latest update's status, and how many stations run each version."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from chalicelib.domain import groups
from chalicelib.domain.access import Principal
from chalicelib.ports.registry import store

PAGE = 100
UNKNOWN = "unknown"  # a station that has not booted yet (no firmwareVersion)


@dataclass(frozen=True)
class InventoryRow:
    station_id: str
    name: str
    group_id: str | None
    firmware_version: str | None
    update_status: str | None


@dataclass(frozen=True)
class Inventory:
    versions: dict[str, int]
    stations: list[InventoryRow]


def inventory(principal: Principal, group_id: str | None = None) -> Inventory:
    """Every station of the domain (or of one group's subtree): one Query a page, one for the updates."""
    prefix = groups.visible(principal, group_id).path if group_id else principal.base_path
    statuses = {u.station_id: u.status for u in store().firmware.updates(principal.org_id)}
    rows, cursor = [], None
    while True:
        page = store().estate.page_in_subtree(principal.org_id, prefix, PAGE, cursor, None)
        rows += [InventoryRow(s.station_id, s.name, s.group_id, s.firmware_version, statuses.get(s.station_id)) for s in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    versions = Counter(r.firmware_version or UNKNOWN for r in rows)
    return Inventory(dict(sorted(versions.items())), sorted(rows, key=lambda r: r.station_id))
