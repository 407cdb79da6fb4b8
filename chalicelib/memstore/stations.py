"""The stations port in memory: stations, organizations, identifier claims and the Authorize reads."""

from __future__ import annotations

import copy
import zlib
from dataclasses import fields
from datetime import datetime

from chalicelib.memstore import tables
from chalicelib.ports.errors import NotFound
from chalicelib.ports.stations import BOOT_FIELDS, Organization, Station, Token, TokenHolder
from chalicelib.ports.users import ChargingUser, RfidToken, UserGroup

_STATION_FIELDS = {f.name for f in fields(Station)}
_PROGRESS = {"FirmwareStatusNotification": "firmware_status", "DiagnosticsStatusNotification": "diagnostics_status"}


def station_value(record: dict) -> Station:
    return Station(**copy.deepcopy({k: v for k, v in record.items() if k in _STATION_FIELDS}))


class MemoryStations:
    """Reads and writes the store's shared stations, organizations, claims, tokens and users (see tables)."""

    def __init__(self, state) -> None:
        self.items: dict[tuple[str, str], dict] = state.collection(tables.STATIONS)
        self.organizations: dict[str, Organization] = state.collection(tables.ORGANIZATIONS)
        self.claims: dict[str, str] = state.collection(tables.CLAIMS)
        self.tokens: dict[tuple[str, str], RfidToken] = state.collection(tables.TOKENS)
        self.users: dict[tuple[str, str], ChargingUser] = state.collection(tables.CHARGING_USERS)
        self.user_groups: dict[tuple[str, str], UserGroup] = state.collection(tables.USER_GROUPS)

    # --- setting up (tests): put into the shared collections the other ports read too --------------
    def add(self, station: Station, **extra) -> None:
        fields = copy.deepcopy(vars(station))
        self.items[(station.org_id, station.station_id)] = tables.station_fields(**{**fields, **extra})

    def add_organization(self, organization: Organization) -> None:
        self.organizations[organization.org_id] = organization

    def add_token(self, org_id: str, token: Token) -> None:
        self.tokens[(org_id, token.token_id)] = RfidToken(
            org_id, token.token_id, token.user_id, status=token.status, valid_from=token.valid_from, valid_to=token.valid_to,
        )  # fmt: skip

    def add_holder(self, org_id: str, holder: TokenHolder) -> None:
        self.users[(org_id, holder.user_id)] = ChargingUser(
            org_id, holder.user_id, "A", "B", holder.user_id, holder.user_group_id, holder.active,
            list(holder.access_group_ids), list(holder.access_station_ids),
        )  # fmt: skip

    def add_user_group(self, org_id: str, user_group_id: str, active: bool = True) -> None:
        self.user_groups[(org_id, user_group_id)] = UserGroup(org_id, user_group_id, user_group_id, active)

    # --- the port --------------------------------------------------------------------------------------
    def get(self, org_id: str, station_id: str) -> Station | None:
        record = self.items.get((org_id, station_id))
        return station_value(record) if record is not None else None

    def raw(self, org_id: str, station_id: str) -> dict | None:
        """The whole stored record, with the attributes the port's value leaves out (other memory ports)."""
        return self.items.get((org_id, station_id))

    def organization(self, org_id: str) -> Organization | None:
        return self.organizations.get(org_id)

    def create_pending(self, org_id: str, station_id: str, now: datetime) -> Station:
        key = (org_id, station_id)
        if key in self.items:
            return station_value(self.items[key])
        self.items[key] = tables.station_fields(org_id, station_id, registration="Pending")
        self.claim(org_id, station_id)
        return station_value(self.items[key])

    def claimed_by(self, station_id: str) -> str | None:
        return self.claims.get(station_id)

    def claim(self, org_id: str, station_id: str) -> bool:
        holder = self.claims.setdefault(station_id, org_id)
        return holder == org_id

    def orgs_with_station_id(self, station_id: str, limit: int = 2) -> list[str]:
        return sorted(org for org, sid in self.items if sid == station_id)[:limit]

    def station_ids(self, org_id: str) -> list[str]:
        return sorted(sid for org, sid in self.items if org == org_id)

    def organization_slice(self, part: int, parts: int) -> list[str]:
        # A stable hash of the id, as DynamoDB's segments split the hash of the partition key.
        return sorted(org_id for org_id in self.organizations if zlib.crc32(org_id.encode()) % parts == part)

    def record_boot(self, org_id: str, station_id: str, info: dict[str, str], now: datetime) -> Station:
        record = self._existing(org_id, station_id)
        record.update({name: value for name, value in info.items() if name in BOOT_FIELDS.values()})
        record["last_boot_at"] = now
        return station_value(record)

    def record_progress(self, org_id: str, station_id: str, kind: str, value: str) -> None:
        self._existing(org_id, station_id)[_PROGRESS[kind]] = value

    def accept_pending(self, org_id: str, station_id: str) -> bool:
        record = self.items.get((org_id, station_id))
        if record is None or record.get("registration") != "Pending":
            return False
        record["registration"] = "Accepted"
        return True

    def token(self, org_id: str, token_id: str) -> Token | None:
        found = self.tokens.get((org_id, token_id))
        if found is None:
            return None
        return Token(found.token_id, found.user_id, found.status, found.valid_from, found.valid_to)

    def token_holder(self, org_id: str, user_id: str) -> TokenHolder | None:
        user = self.users.get((org_id, user_id))
        if user is None:
            return None
        return TokenHolder(
            user.user_id, user.active, user.user_group_id, tuple(user.access_station_ids), tuple(user.access_group_ids)
        )

    def user_group_active(self, org_id: str, user_group_id: str) -> bool | None:
        group = self.user_groups.get((org_id, user_group_id))
        return group.active if group is not None else None

    def _existing(self, org_id: str, station_id: str) -> dict:
        record = self.items.get((org_id, station_id))
        if record is None:
            raise NotFound(f"station {station_id}")
        return record


def build(state) -> MemoryStations:
    return MemoryStations(state)
