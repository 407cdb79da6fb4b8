"""Station management by operators: lists by group subtree or orphans, creation, revisioned edits, purge.

Operator edits are conditional on the station's `revision` and bump it; charger-driven updates
(storage/stations.py) never touch it. Putting a station into a group is a structural write
(group_moves.guarded): it bumps the group so that a concurrent move or deletion notices.
"""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.storage.errors import condition_failed
from chalicelib.storage.group_moves import Cancelled, bump, guarded
from chalicelib.storage.models import ChargingGroupItem, StationItem
from chalicelib.storage.paging import Page, query_page

SEARCH_PAGE = 1000  # items a filtered Query reads per request: sparse searches still take few requests
ANY = object()
KEEP = object()


class Exists(Exception):
    """A station with this identifier exists in the organization."""


class Stale(Exception):
    """The station changed (other revision or group) or vanished since the caller read it."""


class GroupChanged(Exception):
    """The target group changed since it was read (moved, renamed, another station added): read again."""


def search_text(station_id: str, name: str) -> str:
    return f"{station_id} {name}".lower()


def get(org_id: str, station_id: str, consistent: bool = False) -> StationItem | None:
    try:
        return StationItem.get(org_id, station_id, consistent_read=consistent)
    except DoesNotExist:
        return None


def _searched(query, q: str | None):
    if not q:
        return query
    return lambda **kw: query(**{**kw, "page_size": SEARCH_PAGE})


def page_in_subtree(org_id: str, prefix: str, limit: int, cursor: str | None, q: str | None) -> Page:
    """One page of the stations under a group path: one Query on `by-group-path` (INCLUDE projection)."""
    condition = StationItem.search.contains(q.lower()) if q else None
    query = _searched(
        lambda **kw: StationItem.by_group_path.query(
            org_id, StationItem.group_path.startswith(prefix), filter_condition=condition, **kw
        ),
        q,
    )
    return query_page(query, limit, cursor, hash_key=("org_id", org_id))


def page_of_orphans(org_id: str, limit: int, cursor: str | None, q: str | None) -> Page:
    """One page of the organization's orphan stations: one Query on the sparse `orphans` index."""
    condition = StationItem.search.contains(q.lower()) if q else None
    query = _searched(lambda **kw: StationItem.orphans.query(org_id, filter_condition=condition, **kw), q)
    return query_page(query, limit, cursor, hash_key=("orphan_org", org_id))


def in_group(org_id: str, path: str) -> list[StationItem]:
    """The stations directly in a group (not in its subgroups)."""
    return list(StationItem.by_group_path.query(org_id, StationItem.group_path == path))


def any_in_group(org_id: str, path: str) -> bool:
    return next(iter(StationItem.by_group_path.query(org_id, StationItem.group_path == path, limit=1)), None) is not None


def in_subtree(org_id: str, prefix: str) -> list[StationItem]:
    """Keys and group paths of every station under a path (for moves)."""
    return list(StationItem.by_group_path.query(org_id, StationItem.group_path.startswith(prefix)))


def new(org_id: str, station_id: str, name: str, group: ChargingGroupItem | None, **fields) -> StationItem:
    return StationItem(
        org_id,
        station_id,
        name=name,
        group_id=group.group_id if group else None,
        group_path=group.path if group else None,
        orphan_org=None if group else org_id,
        search=search_text(station_id, name),
        **fields,
    )


def create(station: StationItem, group: ChargingGroupItem | None) -> None:
    """Put a new station (in `group`, still at the version read, or as an orphan)."""
    condition = StationItem.station_id.does_not_exist()
    if group is None:
        try:
            station.save(condition=condition)
        except PutError as exc:
            if condition_failed(exc):
                raise Exists(station.station_id) from exc
            raise
        return

    def fill(tx) -> None:
        bump(tx, group)
        tx.save("station", station, condition=condition)

    try:
        guarded(station.org_id, fill)
    except Cancelled as exc:
        if "station" in exc.failed:
            raise Exists(station.station_id) from exc
        raise GroupChanged(group.group_id) from exc


def edit(
    org_id: str,
    station_id: str,
    *,
    revision: int | None,
    expect_group_id=ANY,
    name: str | None = None,
    group=KEEP,
    points: list[dict] | None = None,
) -> None:
    """An operator's edit: conditional on `revision` (None: any) and on the current group, bumps the revision.

    `group` is a ChargingGroupItem to put the station into, None to make it an orphan, KEEP otherwise.
    """
    actions = [StationItem.revision.add(1)]
    if name is not None:
        actions += [StationItem.name.set(name), StationItem.search.set(search_text(station_id, name))]
    if isinstance(group, ChargingGroupItem):
        actions += [StationItem.group_id.set(group.group_id), StationItem.group_path.set(group.path), StationItem.orphan_org.remove()]
    elif group is None:
        actions += [StationItem.group_id.remove(), StationItem.group_path.remove(), StationItem.orphan_org.set(org_id)]
    if points is not None:
        actions += [StationItem.points.set(points), StationItem.point_count.set(len(points))]
    condition = StationItem.station_id.exists()
    if revision is not None:
        same = StationItem.revision == revision
        condition &= (same | StationItem.revision.does_not_exist()) if revision == 0 else same
    if expect_group_id is not ANY:
        condition &= StationItem.group_id.does_not_exist() if expect_group_id is None else StationItem.group_id == expect_group_id
    item = StationItem(org_id, station_id)
    if not isinstance(group, ChargingGroupItem):
        try:
            item.update(actions=actions, condition=condition)
        except UpdateError as exc:
            if condition_failed(exc):
                raise Stale(station_id) from exc
            raise
        return

    def fill(tx) -> None:
        bump(tx, group)
        tx.update("station", item, actions, condition=condition)

    try:
        guarded(org_id, fill)
    except Cancelled as exc:
        if "station" in exc.failed:
            raise Stale(station_id) from exc
        raise GroupChanged(group.group_id) from exc


def purge(org_id: str, station_id: str) -> None:
    """Delete an orphan station item (its records and sessions stay for the reports)."""
    try:
        StationItem(org_id, station_id).delete(condition=StationItem.orphan_org.exists())
    except DeleteError as exc:
        if condition_failed(exc):
            raise Stale(station_id) from exc
        raise


def heal_path(org_id: str, station_id: str, stale: str, fresh: str) -> None:
    """Correct a group path left behind by a move (its group's path is the truth)."""
    try:
        StationItem(org_id, station_id).update(
            actions=[StationItem.group_path.set(fresh)], condition=StationItem.group_path == stale
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
