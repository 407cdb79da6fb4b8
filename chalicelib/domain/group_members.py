"""Charging stations in and out of groups, from the group's side (Add / Edit charging group views).

Putting a station into a group or taking it out changes which operators see it, so, like adding or
removing a station, it is for admin operators only ("Access denied." for basic ones).
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import groups, stations
from chalicelib.domain.access import Principal
from chalicelib.domain.station_view import visible


def create_group(principal: Principal, name: str, parent_id: str | None, station_ids: list[str], now: datetime) -> groups.GroupDetails:
    """A new group, with stations of the domain moved into it (all checked before anything is written)."""
    if station_ids:
        principal.require_admin()
    found = [visible(principal, station_id, consistent=True) for station_id in dict.fromkeys(station_ids)]
    created = groups.create(principal, name, parent_id)
    for station in found:
        stations.put_into_group(principal, station, created.group_id, now)
    return groups.details(principal, created.group_id, consistent=True) if found else created


def add(principal: Principal, group_id: str, station_id: str, now: datetime) -> groups.GroupDetails:
    principal.require_admin()
    group = groups.visible(principal, group_id, consistent=True)
    station = visible(principal, station_id, consistent=True)
    if station.group_id != group.group_id:
        stations.put_into_group(principal, station, group.group_id, now)
    return groups.details(principal, group_id, consistent=True)


def remove(principal: Principal, group_id: str, station_id: str, now: datetime) -> None:
    """The station leaves the group and becomes an orphan."""
    principal.require_admin()
    groups.visible(principal, group_id, consistent=True)
    stations.orphan(principal, station_id, now, from_group_id=group_id)
