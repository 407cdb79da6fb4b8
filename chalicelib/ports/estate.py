"""The estate port: charging groups, stations as operators manage them, group moves and provisioning.

Values are plain frozen dataclasses; key formats, update actions and transactions stay in the store.
Errors: `chalicelib.ports.errors` types, plus the two kinds a structural write of the group tree has
(`TreeChanged`: read again and retry; `MoveInProgress`: a big move holds the organization's lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.organizations import Organization  # noqa: F401 (re-exported)
from chalicelib.ports.paging import Page


class TreeChanged(ConditionFailed):
    """A group the write depends on changed since it was read (moved, renamed, something put into it)."""


class MoveInProgress(ConditionFailed):
    """A group move too big for one transaction holds the organization's lock."""


@dataclass(frozen=True)
class GroupRecord:
    org_id: str
    group_id: str
    name: str
    parent_id: str | None
    path: str  # materialized path of group ids, "/g1/g2/"
    version: int


@dataclass(frozen=True)
class StationRecord:
    """A station as operators see it; list pages fill only the fields of the list's rows."""

    org_id: str
    station_id: str
    name: str
    group_id: str | None = None
    group_path: str | None = None
    revision: int = 0
    point_count: int = 1
    points: list[dict] = field(default_factory=list)
    registration: str = "Accepted"
    connected: bool = False
    firmware_version: str | None = None
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    box_serial_number: str | None = None
    firmware_status: str | None = None
    diagnostics_status: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None
    connected_at: datetime | None = None
    last_boot_at: datetime | None = None
    last_seen_at: datetime | None = None
    created_at: datetime | None = None
    evse_code: str | None = None
    evse_name: str | None = None
    emi3_id: str | None = None
    roaming: bool = False
    maintenance: bool = False  # disabled for maintenance: connectors Inoperative, remote starts refused


@dataclass(frozen=True)
class ConnectorState:
    """The latest StatusNotification of one connector (0 = the station itself)."""

    connector_id: int
    status: str
    error_code: str
    info: str | None
    timestamp: datetime


@dataclass(frozen=True)
class NewStation:
    org_id: str
    station_id: str
    name: str
    group: GroupRecord | None  # None: an orphan
    registration: str = "Accepted"
    created_at: datetime | None = None
    password_hash: str | None = None


@dataclass(frozen=True)
class StationEdit:
    """An operator's edit of a station, conditional on its revision and (when `check_group`) its group."""

    revision: int | None = None  # None: whatever the revision
    check_group: bool = False
    expected_group_id: str | None = None  # with check_group: the group it must still be in (None: an orphan)
    name: str | None = None
    regroup: bool = False
    group: GroupRecord | None = None  # with regroup: the new group (None: make it an orphan)
    points: list[dict] | None = None


@dataclass(frozen=True)
class Placed:
    """Something placed in the group tree: a group (its path) or a station (its group's path)."""

    kind: Literal["group", "station"]
    key: str
    path: str
    version: int = 0  # a group's version as read (a rewrite makes it newer)


@dataclass(frozen=True)
class MoveJournal:
    org_id: str
    group_id: str
    parent_id: str
    old_path: str
    new_path: str
    owner: str
    lease_until: datetime


@dataclass(frozen=True)
class UserGroupRecord:
    org_id: str
    user_group_id: str
    name: str
    home_group_id: str | None = None


@dataclass(frozen=True)
class ChargingUserRecord:
    org_id: str
    user_id: str
    first_name: str
    last_name: str
    email: str
    user_group_id: str | None = None
    access_group_ids: list[str] = field(default_factory=list)
    home_group_id: str | None = None


@dataclass(frozen=True)
class NewOperator:
    username: str
    org_id: str
    email: str
    first_name: str
    last_name: str
    role: str
    base_group_id: str
    password_hash: str


class Groups(Protocol):
    def get_group(self, org_id: str, group_id: str, consistent: bool = False) -> GroupRecord | None: ...
    def page_groups(self, org_id: str, prefix: str, limit: int, cursor: str | None, q: str | None) -> Page[GroupRecord]:
        """Groups under `prefix` in path order, searched by name (lower-cased `contains`)."""
    def subtree(self, org_id: str, prefix: str) -> list[GroupRecord]:
        """Every group whose path starts with `prefix`, in path order."""
    def children(self, group: GroupRecord) -> list[GroupRecord]: ...
    def has_subgroups(self, group: GroupRecord) -> bool: ...
    def group_names(self, org_id: str, group_ids: set[str]) -> dict[str, str]: ...
    def is_base_of_an_operator(self, org_id: str, group_id: str) -> bool: ...
    def create_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord) -> GroupRecord:
        """Under a parent still at the version read (TreeChanged, MoveInProgress)."""
    def rename_group(self, group: GroupRecord, seen_version: int, name: str) -> None:
        """ConditionFailed when the group is no longer at `seen_version`."""
    def delete_group(self, group: GroupRecord) -> None:
        """Only at the version read (TreeChanged otherwise; MoveInProgress)."""
    def provision_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord | None) -> GroupRecord:
        """A plain put for seed data and the CLI (no lock, no parent version check)."""


class EstateStations(Protocol):
    def get_station(self, org_id: str, station_id: str, consistent: bool = False) -> StationRecord | None: ...
    def stations_online(self, org_id: str, station_ids: list[str]) -> dict[str, tuple[StationRecord, str | None]]:
        """station id -> (the station, its current connection id or None), of those that exist; read strongly
        consistent, many per request (the minute job's batch of scheduled limits)."""
    def page_in_subtree(self, org_id: str, prefix: str, limit: int, cursor: str | None, q: str | None) -> Page[StationRecord]: ...
    def page_of_orphans(self, org_id: str, limit: int, cursor: str | None, q: str | None) -> Page[StationRecord]: ...
    def stations_in_group(self, org_id: str, path: str) -> list[StationRecord]:
        """Directly in the group of `path` (not in its subgroups)."""
    def any_station_in_group(self, org_id: str, path: str) -> bool: ...
    def create_station(self, station: NewStation, guarded: bool = True) -> StationRecord:
        """AlreadyExists; guarded and in a group: the group must still be at its version (TreeChanged, MoveInProgress)."""
    def edit_station(self, org_id: str, station_id: str, edit: StationEdit) -> None:
        """Bumps the revision; ConditionFailed when stale or gone; TreeChanged/MoveInProgress when regrouping."""
    def purge_station(self, org_id: str, station_id: str) -> None:
        """Only an orphan (ConditionFailed otherwise)."""
    def heal_path(self, org_id: str, station_id: str, stale: str, fresh: str) -> None: ...
    def connector_states(self, org_id: str, station_id: str) -> list[ConnectorState]: ...
    def claim_identifier(self, org_id: str, station_id: str) -> bool:
        """The short URL for `org_id` unless another organization holds it."""
    def release_identifier(self, org_id: str, station_id: str) -> None: ...
    def claimed_by(self, station_id: str) -> str | None: ...


class Moves(Protocol):
    def max_items(self) -> int:
        """Items one atomic write may hold."""
    def placed_under(self, org_id: str, prefix: str) -> list[Placed]:
        """Groups then stations whose path starts with `prefix`."""
    def move_at_once(self, group: GroupRecord, seen_version: int, name: str, parent: GroupRecord, new_path: str, items: list[Placed]) -> None:
        """One atomic write: the group renamed and re-parented, the parent bumped, `items` rebased."""
    def read_move(self, org_id: str) -> MoveJournal | None: ...
    def start_move(self, journal: MoveJournal, group: GroupRecord, seen_version: int, name: str, parent: GroupRecord) -> None:
        """Take the lock with the journal, rename the group at `seen_version`, bump the parent (MoveInProgress)."""
    def take_over_move(self, stale: MoveJournal, owner: str, lease_until: datetime) -> bool: ...
    def move_chunk(self, journal: MoveJournal, lease_until: datetime, items: list[Placed]) -> None:
        """Rebase items while renewing the lease (MoveInProgress: lost the lease; TreeChanged: an item changed)."""
    def rewrite_one(self, journal: MoveJournal, item: Placed) -> None:
        """Rebase one item from a fresh read; nothing when it is gone or no longer under the old path."""
    def release_move(self, journal: MoveJournal) -> None: ...


class Provisioning(Protocol):
    def get_organization(self, org_id: str) -> Organization | None: ...
    def create_organization(self, org: Organization) -> Organization:
        """AlreadyExists when the id is taken."""
    def user_group_named(self, org_id: str, name: str) -> UserGroupRecord | None: ...
    def create_user_group(self, group: UserGroupRecord) -> UserGroupRecord: ...
    def get_charging_user(self, org_id: str, user_id: str) -> ChargingUserRecord | None: ...
    def create_charging_user(self, user: ChargingUserRecord) -> ChargingUserRecord:
        """The user group's member count follows; the store keeps the list's search text."""
    def token_owner(self, org_id: str, token_id: str) -> str | None: ...
    def add_token(self, user: ChargingUserRecord, token_id: str, name: str | None, valid_from: datetime | None) -> None:
        """ConditionFailed when the token exists."""
    def create_operator(self, operator: NewOperator) -> None:
        """AlreadyExists when the username is taken; the store keeps the list's search text."""


class Estate(Groups, EstateStations, Moves, Provisioning, Protocol):
    """The whole estate port (`store().estate`)."""
