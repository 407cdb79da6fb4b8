"""The stations port on DynamoDB: station and organization items, identifier claims, the Authorize reads."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.ports.errors import NotFound
from chalicelib.ports.stations import BOOT_FIELDS, Organization, Station, Token, TokenHolder
from chalicelib.storage import stations, users
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import OrganizationItem, StationItem

_PROGRESS = {"FirmwareStatusNotification": "firmware_status", "DiagnosticsStatusNotification": "diagnostics_status"}


def station_value(item: StationItem) -> Station:
    points = [p.as_dict() if hasattr(p, "as_dict") else dict(p) for p in item.points or []]
    return Station(
        org_id=item.org_id,
        station_id=item.station_id,
        registration=item.registration,
        password_hash=item.password_hash,
        previous_password_hash=item.previous_password_hash,
        group_id=item.group_id,
        group_path=item.group_path,
        point_count=int(item.point_count or 0),
        connected=bool(item.connected),
        points=points,
    )


class DynamoStations:
    def get(self, org_id: str, station_id: str) -> Station | None:
        item = stations.get_station(org_id, station_id)
        return station_value(item) if item is not None else None

    def organization(self, org_id: str) -> Organization | None:
        item = stations.get_organization(org_id)
        if item is None:
            return None
        return Organization(item.org_id, auto_register=bool(item.auto_register), timezone=item.timezone or "UTC")

    def create_pending(self, org_id: str, station_id: str, now: datetime) -> Station:
        return station_value(stations.create_pending_station(org_id, station_id, now))

    def claimed_by(self, station_id: str) -> str | None:
        return stations.claimed_by(station_id)

    def claim(self, org_id: str, station_id: str) -> bool:
        return stations.claim_identifier(org_id, station_id)

    def orgs_with_station_id(self, station_id: str, limit: int = 2) -> list[str]:
        return stations.orgs_with_station_id(station_id, limit)

    def station_ids(self, org_id: str) -> list[str]:
        return [item.station_id for item in StationItem.query(org_id, attributes_to_get=["station_id"])]

    def organization_slice(self, part: int, parts: int) -> list[str]:
        found = OrganizationItem.scan(segment=part, total_segments=parts, attributes_to_get=["org_id"])
        return sorted(item.org_id for item in found)

    def record_boot(self, org_id: str, station_id: str, info: dict[str, str], now: datetime) -> Station:
        attributes = StationItem.get_attributes()
        allowed = set(BOOT_FIELDS.values())
        actions = [attributes[name].set(value) for name, value in info.items() if name in allowed]
        actions.append(StationItem.last_boot_at.set(now))
        return station_value(_update(org_id, station_id, actions))

    def record_progress(self, org_id: str, station_id: str, kind: str, value: str) -> None:
        _update(org_id, station_id, [StationItem.get_attributes()[_PROGRESS[kind]].set(value)])

    def accept_pending(self, org_id: str, station_id: str) -> bool:
        try:
            StationItem(org_id, station_id).update(
                actions=[StationItem.registration.set("Accepted")], condition=StationItem.registration == "Pending"
            )
        except UpdateError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def token(self, org_id: str, token_id: str) -> Token | None:
        item = users.get_token(org_id, token_id)
        if item is None:
            return None
        return Token(item.token_id, item.user_id, item.status, item.valid_from, item.valid_to)

    def token_holder(self, org_id: str, user_id: str) -> TokenHolder | None:
        item = users.get_user(org_id, user_id)
        if item is None:
            return None
        return TokenHolder(
            item.user_id, bool(item.active), item.user_group_id,
            tuple(item.access_station_ids or ()), tuple(item.access_group_ids or ()),
        )

    def user_group_active(self, org_id: str, user_group_id: str) -> bool | None:
        item = users.get_user_group(org_id, user_group_id)
        return None if item is None else bool(item.active)


def _update(org_id: str, station_id: str, actions: list) -> StationItem:
    try:
        return stations.update_station(org_id, station_id, actions)
    except UpdateError as exc:
        if condition_failed(exc):
            raise NotFound(f"station {station_id}") from exc
        raise


def build() -> DynamoStations:
    return DynamoStations()
