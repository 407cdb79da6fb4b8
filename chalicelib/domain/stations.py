"""Managing charging stations: create, rename, put into a group, orphan, purge, and describe their points.

Every change of a station's group or points tells `aggregates` (the statistics keep their counters
from these calls). Operator edits are checked against the station's `revision`; a stale one gets
the manual's concurrency text "Charging station does not exist.".
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime

from chalicelib.domain import aggregates, group_moves, groups, station_settings
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import STATION_MISSING, Conflict, Invalid, NotFound
from chalicelib.domain.station_view import details, visible
from chalicelib.domain.tokens import StorageBusy
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, StorageUnavailable
from chalicelib.ports.estate import NewStation, StationEdit, StationRecord, TreeChanged
from chalicelib.ports.registry import store

IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
FORBIDDEN = re.compile(r"[^A-Za-z0-9_-]")
INVALID_IDENTIFIER = "Invalid charging station identifier."
FORBIDDEN_CHARACTERS = "Identifier contains forbidden characters."
DUPLICATE = "Charging station already exists for that identifier."
DELETION_FAILED = "Charging station deletion failed."
NOT_ORPHAN = "Only an orphan charging station can be purged: delete it from its group first."


def identifier_problem(station_id: str | None) -> str | None:
    """The manual's text for an unusable identifier (letters, digits, '-' and '_' only), None if fine."""
    if station_id and FORBIDDEN.search(station_id):
        return FORBIDDEN_CHARACTERS
    if not station_id or not IDENTIFIER.match(station_id):
        return INVALID_IDENTIFIER
    return None


def create(principal: Principal, station_id: str, name: str | None, group_id: str | None, now: datetime):
    """A new station in `group_id` (default: the operator's base group); its identifier never changes."""
    problem = identifier_problem(station_id)
    if problem:
        raise Invalid(problem)

    def attempt():
        group = groups.visible(principal, group_id or principal.base_group_id, consistent=True)
        try:
            store().estate.create_station(NewStation(principal.org_id, station_id, name or station_id, group, created_at=now))
        except AlreadyExists as exc:
            raise Conflict(DUPLICATE) from exc
        return group

    group = group_moves.retrying(principal.org_id, attempt)
    store().estate.claim_identifier(principal.org_id, station_id)  # the short URL, unless another tenant has it
    aggregates.station_added(principal.org_id, station_id, group.group_id, now)
    return details(principal, station_id)


def update(principal: Principal, station_id: str, name: str, group_id: str | None, version: int, now: datetime):
    """Rename, and put into another group when `group_id` names one (None keeps the group)."""
    station = visible(principal, station_id, consistent=True)
    if station.revision != version:
        raise Conflict(STATION_MISSING)
    if group_id is None or group_id == station.group_id:
        _edit(principal, station_id, StationEdit(revision=version, name=name))
    else:
        put_into_group(principal, station, group_id, now, revision=version, name=name)
    return details(principal, station_id)


def put_into_group(principal: Principal, station: StationRecord, group_id: str, now: datetime, revision: int | None = None, name: str | None = None) -> None:
    """Move a station (or adopt an orphan) into a group of the domain."""

    def attempt() -> None:
        group = groups.visible(principal, group_id, consistent=True)
        edit = StationEdit(revision, check_group=True, expected_group_id=station.group_id, name=name, regroup=True, group=group)
        try:
            store().estate.edit_station(principal.org_id, station.station_id, edit)
        except TreeChanged:
            raise  # the group changed meanwhile: `retrying` reads it again
        except ConditionFailed as exc:
            raise Conflict(STATION_MISSING) from exc

    group_moves.retrying(principal.org_id, attempt)
    aggregates.station_moved(principal.org_id, station.station_id, station.group_id, group_id, now)


def orphan(principal: Principal, station_id: str, now: datetime, from_group_id: str | None = None) -> None:
    """Delete a station from its group: it becomes an orphan (kept, seen by organization admins), held
    Pending and disconnected, so it cannot charge until an admin adopts and accepts it again."""
    station = visible(principal, station_id, consistent=True)
    if from_group_id is not None and station.group_id != from_group_id:
        raise NotFound(STATION_MISSING)  # not in that group
    if station.group_id is None:
        return
    with _deleting():
        _edit(principal, station_id, StationEdit(check_group=True, expected_group_id=station.group_id, regroup=True, group=None))
        aggregates.station_moved(principal.org_id, station_id, station.group_id, None, now)
        store().station_settings.set_registration(principal.org_id, station_id, "Pending")
    station_settings.disconnect(principal.org_id, station_id)


def purge(principal: Principal, station_id: str, now: datetime) -> None:
    """Remove an orphan station for good (its records and sessions stay for the reports); a connected
    one is disconnected, and it cannot come back: its station is gone."""
    station = visible(principal, station_id, consistent=True)
    if station.group_id is not None:
        raise Conflict(NOT_ORPHAN)
    connection_id = store().connections.current(principal.org_id, station_id)  # read before the item goes
    with _deleting():
        try:
            store().estate.purge_station(principal.org_id, station_id)
        except ConditionFailed as exc:
            raise Conflict(NOT_ORPHAN) from exc
        store().estate.release_identifier(principal.org_id, station_id)
        if station.evse_code:
            store().station_settings.release_evse_code(principal.org_id, station_id, station.evse_code)
        aggregates.station_removed(principal.org_id, station_id, None, now)
    station_settings.disconnect(principal.org_id, station_id, connection_id)


@contextmanager
def _deleting():
    """A storage failure while deleting answers the manual's "Charging station deletion failed." (retry)."""
    try:
        yield
    except StorageUnavailable as exc:
        raise StorageBusy(DELETION_FAILED) from exc


def set_points(principal: Principal, station_id: str, points: list[list[dict]], version: int, now: datetime):
    """Describe the charging points: point n (1-based) has the sockets `points[n-1]` (1..4 of them)."""
    station = visible(principal, station_id, consistent=True)
    if station.revision != version:
        raise Conflict(STATION_MISSING)
    stored = [{"point": n, "sockets": [dict(s) for s in sockets]} for n, sockets in enumerate(points, start=1)]
    _edit(principal, station_id, StationEdit(revision=version, points=stored))
    old = station.point_count
    if old != len(stored):
        aggregates.points_changed(principal.org_id, station_id, station.group_id, old, len(stored), now)
    return details(principal, station_id)


def _edit(principal: Principal, station_id: str, edit: StationEdit) -> None:
    try:
        store().estate.edit_station(principal.org_id, station_id, edit)
    except ConditionFailed as exc:
        raise Conflict(STATION_MISSING) from exc
