"""Station and connection items: identity at $connect, connection bookkeeping, boot data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.clock import sortable
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import ConnectionItem, IdentifierClaimItem, OrganizationItem, StationItem
from chalicelib.storage.writes import Writes

CONNECTION_LIFETIME = timedelta(hours=3)


def get_station(org_id: str, station_id: str) -> StationItem | None:
    try:
        return StationItem.get(org_id, station_id)
    except DoesNotExist:
        return None


def orgs_with_station_id(station_id: str, limit: int = 2) -> list[str]:
    """Organizations that have a station with this identifier (a GSI query, at most `limit`)."""
    return [s.org_id for s in StationItem.by_station_id.query(station_id, limit=limit)]


def _claim_key(station_id: str) -> str:
    return f"station-id#{station_id}"


def claim_identifier(org_id: str, station_id: str) -> bool:
    """Give `org_id` the short URL of this identifier unless another organization holds it already."""
    try:
        IdentifierClaimItem(_claim_key(station_id), org_id=org_id).save(
            condition=IdentifierClaimItem.name.does_not_exist() | (IdentifierClaimItem.org_id == org_id)
        )
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def claimed_by(station_id: str) -> str | None:
    try:
        return IdentifierClaimItem.get(_claim_key(station_id)).org_id
    except DoesNotExist:
        return None


def release_identifier(org_id: str, station_id: str) -> None:
    """Give the short URL up when its organization's station is purged (only if it holds it)."""
    try:
        IdentifierClaimItem(_claim_key(station_id)).delete(condition=IdentifierClaimItem.org_id == org_id)
    except DeleteError as exc:
        if not condition_failed(exc):
            raise


def get_organization(org_id: str) -> OrganizationItem | None:
    try:
        return OrganizationItem.get(org_id)
    except DoesNotExist:
        return None


def create_pending_station(org_id: str, station_id: str, now: datetime) -> StationItem:
    """An auto-registered orphan: no group, registration Pending until an operator accepts it."""
    station = StationItem(
        org_id, station_id, name=station_id, registration="Pending", orphan_org=org_id, search=station_id.lower()
    )
    try:
        station.save(condition=StationItem.station_id.does_not_exist())
    except PutError:
        return StationItem.get(org_id, station_id)
    claim_identifier(org_id, station_id)
    return station


@dataclass(frozen=True)
class Previous:
    """The connection a station had before `take_over` replaced it."""

    connection_id: str
    connected_at: datetime | None


def take_over(org_id: str, station_id: str, connection_id: str, now: datetime) -> Previous | None:
    """Make `connection_id` the station's current connection in one atomic UpdateItem; the one it replaced.

    Concurrent connects are ordered by DynamoDB: each learns exactly the connection it replaced, so every
    connection but the last is known to its successor (last connect wins, also under races).
    Raises StationGone when the station does not exist (purged meanwhile).
    """
    table = StationItem._get_connection()
    actions = [StationItem.connection_id.set(connection_id), StationItem.connected.set(True), StationItem.connected_at.set(now)]
    try:
        answer = table.update_item(
            org_id, station_id, actions=actions, condition=StationItem.station_id.exists(), return_values="UPDATED_OLD"
        )
    except UpdateError as exc:
        if condition_failed(exc):
            raise StationGone(station_id) from exc
        raise
    old = answer.get("Attributes") or {}
    previous = old.get("connection_id", {}).get("S")
    if not previous:
        return None
    at = old.get("connected_at", {}).get("S")
    return Previous(previous, StationItem.connected_at.deserialize(at) if at else None)


class StationGone(Exception):
    """The station was purged while it was connecting."""


WATCH = "watch"  # the constant hash key of the silence-check index


def add_connection(
    writes: Writes, org_id: str, station_id: str, connection_id: str, now: datetime, powers: dict, registration: str = "Accepted",
    check_at: datetime | None = None,
) -> None:
    """The connection item, on condition that this connection is still the station's current one."""
    writes.save(
        ConnectionItem(
            connection_id,
            org_id=org_id,
            station_id=station_id,
            connected_at=now,
            powers={str(k): v for k, v in powers.items()},
            registration=None if registration == "Accepted" else registration,  # the usual case stores nothing
            expires=now + CONNECTION_LIFETIME,
            watch=WATCH if check_at is not None else None,
            check_at=sortable(check_at) if check_at is not None else None,
        )
    )
    writes.check(StationItem, org_id, station_id, StationItem.connection_id == connection_id)


def current_connection(org_id: str, station_id: str) -> str | None:
    try:
        item = StationItem.get(org_id, station_id, consistent_read=True, attributes_to_get=["connection_id"])
    except DoesNotExist:
        return None
    return item.connection_id


def get_connection(connection_id: str) -> ConnectionItem | None:
    try:
        return ConnectionItem.get(connection_id)
    except DoesNotExist:
        return None


def set_connection_registration(connection_id: str, registration: str | None) -> None:
    """The registration a connection's frames are judged by (None: Accepted); nothing for a gone connection."""
    action = ConnectionItem.registration.set(registration) if registration else ConnectionItem.registration.remove()
    try:
        ConnectionItem(connection_id).update(actions=[action], condition=ConnectionItem.connection_id.exists(), add_version_condition=False)
    except UpdateError as exc:
        if not condition_failed(exc):
            raise


def due_checks(now: datetime, limit: int) -> list[ConnectionItem]:
    """Connections whose silence check is due, earliest first (the sparse silence-check index)."""
    return list(ConnectionItem.by_check.query(WATCH, ConnectionItem.check_at <= sortable(now), limit=limit))


def check_later(connection_id: str, at: datetime) -> None:
    """Move the connection's next silence check; nothing when the connection item is gone."""
    action = ConnectionItem.check_at.set(sortable(at))
    try:
        ConnectionItem(connection_id).update(actions=[action], condition=ConnectionItem.connection_id.exists(), add_version_condition=False)
    except UpdateError as exc:
        if not condition_failed(exc):
            raise


def delete_connection(connection_id: str) -> None:
    ConnectionItem(connection_id).delete(add_version_condition=False)


def mark_disconnected(org_id: str, station_id: str, connection_id: str, now: datetime) -> bool:
    """Clear the station's connection only if it is still this one; False when a newer one replaced it."""
    try:
        StationItem(org_id, station_id).update(
            actions=_disconnect_actions(now),
            condition=StationItem.connection_id == connection_id,
            add_version_condition=False,
        )
    except UpdateError:
        return False
    return True


def add_disconnect(writes: Writes, org_id: str, station_id: str, connection_id: str, now: datetime) -> None:
    """The write of `mark_disconnected`, added to a transaction (it fails whole if a newer connection won)."""
    writes.update(StationItem(org_id, station_id), _disconnect_actions(now), condition=StationItem.connection_id == connection_id)


def _disconnect_actions(now: datetime) -> list:
    return [StationItem.connected.set(False), StationItem.connection_id.remove(), StationItem.last_seen_at.set(now)]


def update_station(org_id: str, station_id: str, actions: list) -> StationItem:
    """An unconditional field update of an existing station; returns the item as it is now."""
    station = StationItem(org_id, station_id)
    station.update(actions=actions, condition=StationItem.station_id.exists(), add_version_condition=False)
    return station

