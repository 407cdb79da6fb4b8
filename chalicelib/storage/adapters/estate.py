"""The estate port on DynamoDB: groups, station administration, group moves and provisioning.

Plain records in and out; items, conditions and transactions are built here from the storage modules.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.ports.errors import AlreadyExists, ConditionFailed
from chalicelib.ports.estate import (
    ChargingUserRecord,
    ConnectorState,
    GroupRecord,
    MoveInProgress,
    MoveJournal,
    NewOperator,
    NewStation,
    Organization,
    Page,
    Placed,
    StationEdit,
    StationRecord,
    TreeChanged,
    UserGroupRecord,
)
from chalicelib.storage import group_moves, groups, move_journal, records, station_admin, stations
from chalicelib.storage.models import (
    ChargingGroupItem,
    ChargingUserItem,
    OperatorItem,
    OrganizationItem,
    StationItem,
    TokenItem,
    UserGroupItem,
    station_key,
)

STATION_FIELDS = (
    "firmware_version", "vendor", "model", "serial_number", "box_serial_number", "firmware_status",
    "diagnostics_status", "iccid", "imsi", "meter_type", "meter_serial_number",
    "connected_at", "last_boot_at", "last_seen_at", "created_at", "evse_code", "evse_name", "emi3_id",
)  # fmt: skip


def group_record(item: ChargingGroupItem) -> GroupRecord:
    return GroupRecord(item.org_id, item.group_id, item.name, item.parent_id, item.path, int(item.version or 0))


def group_item(group: GroupRecord, version: int | None = None) -> ChargingGroupItem:
    """The item of a record, at `version` (default: the record's) for the version condition of a write."""
    seen = group.version if version is None else version
    return ChargingGroupItem(
        group.org_id, group.group_id, name=group.name, parent_id=group.parent_id, path=group.path,
        search=group.name.lower(), version=seen or None,
    )  # fmt: skip


def _plain(value):
    if hasattr(value, "as_dict"):
        return {k: _plain(v) for k, v in value.as_dict().items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def station_record(item: StationItem) -> StationRecord:
    return StationRecord(
        org_id=item.org_id,
        station_id=item.station_id,
        name=item.name,
        group_id=item.group_id,
        group_path=item.group_path,
        revision=int(item.revision or 0),
        point_count=int(item.point_count or 0),
        points=_plain(list(item.points or [])),
        registration=item.registration or "Accepted",
        connected=bool(item.connected),
        roaming=bool(item.roaming),
        maintenance=bool(item.maintenance),
        **{name: getattr(item, name, None) for name in STATION_FIELDS},
    )


def _placed(org_id: str, prefix: str) -> list[Placed]:
    found = [Placed("group", g.group_id, g.path, int(g.version or 0)) for g in groups.subtree(org_id, prefix)]
    return found + [Placed("station", s.station_id, s.group_path) for s in station_admin.in_subtree(org_id, prefix)]


def _stub_station(org_id: str, item: Placed) -> StationItem:
    return StationItem(org_id, item.key, group_path=item.path)


def _stub_group(org_id: str, item: Placed) -> ChargingGroupItem:
    """A subtree group for a path rewrite: the path is the condition; the version read is bumped."""
    return ChargingGroupItem(org_id, item.key, path=item.path, version=item.version or None)


def _split(org_id: str, items: list[Placed]) -> tuple[list, list]:
    return (
        [_stub_group(org_id, i) for i in items if i.kind == "group"],
        [_stub_station(org_id, i) for i in items if i.kind == "station"],
    )


class DynamoEstate:
    """Every method of `chalicelib.ports.estate.Estate` on the PynamoDB models."""

    # --- groups ----------------------------------------------------------------------------------
    def get_group(self, org_id: str, group_id: str, consistent: bool = False) -> GroupRecord | None:
        item = groups.get(org_id, group_id, consistent)
        return group_record(item) if item else None

    def page_groups(self, org_id, prefix, limit, cursor, q) -> Page[GroupRecord]:
        found = groups.page(org_id, prefix, limit, cursor, q)
        return Page([group_record(g) for g in found.items], found.cursor)

    def subtree(self, org_id: str, prefix: str) -> list[GroupRecord]:
        return [group_record(g) for g in groups.subtree(org_id, prefix)]

    def children(self, group: GroupRecord) -> list[GroupRecord]:
        return [group_record(g) for g in groups.children(group_item(group))]

    def has_subgroups(self, group: GroupRecord) -> bool:
        return groups.has_subgroups(group_item(group))

    def group_names(self, org_id: str, group_ids: set[str]) -> dict[str, str]:
        return groups.names(org_id, group_ids)

    def is_base_of_an_operator(self, org_id: str, group_id: str) -> bool:
        return groups.is_base_of_an_operator(org_id, group_id)

    def create_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord) -> GroupRecord:
        item = groups.new(org_id, group_id, name, group_item(parent))
        with _structural():
            groups.create(item, group_item(parent))
        return GroupRecord(org_id, group_id, name, parent.group_id, item.path, 1)

    def rename_group(self, group: GroupRecord, seen_version: int, name: str) -> None:
        try:
            groups.rename(group_item(group), seen_version, name)
        except groups.Stale as exc:
            raise ConditionFailed(group.group_id) from exc

    def delete_group(self, group: GroupRecord) -> None:
        with _structural():
            try:
                groups.delete(group_item(group))
            except groups.Stale as exc:
                raise TreeChanged(group.group_id) from exc

    def provision_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord | None) -> GroupRecord:
        path = f"{parent.path if parent else '/'}{group_id}/"
        parent_id = parent.group_id if parent else None
        item = ChargingGroupItem(org_id, group_id, name=name, parent_id=parent_id, path=path, search=name.lower())
        item.save()
        return group_record(item)

    # --- stations --------------------------------------------------------------------------------
    def get_station(self, org_id: str, station_id: str, consistent: bool = False) -> StationRecord | None:
        item = station_admin.get(org_id, station_id, consistent)
        return station_record(item) if item else None

    def stations_online(self, org_id: str, station_ids: list[str]) -> dict[str, tuple[StationRecord, str | None]]:
        """BatchGetItem of the station items, which hold the connection id too (unprocessed keys read again)."""
        keys = [(org_id, station_id) for station_id in dict.fromkeys(station_ids)]
        return {item.station_id: (station_record(item), item.connection_id)
                for item in StationItem.batch_get(keys, consistent_read=True)}

    def page_in_subtree(self, org_id, prefix, limit, cursor, q) -> Page[StationRecord]:
        found = station_admin.page_in_subtree(org_id, prefix, limit, cursor, q)
        return Page([station_record(s) for s in found.items], found.cursor)

    def page_of_orphans(self, org_id, limit, cursor, q) -> Page[StationRecord]:
        found = station_admin.page_of_orphans(org_id, limit, cursor, q)
        return Page([station_record(s) for s in found.items], found.cursor)

    def stations_in_group(self, org_id: str, path: str) -> list[StationRecord]:
        return [station_record(s) for s in station_admin.in_group(org_id, path)]

    def any_station_in_group(self, org_id: str, path: str) -> bool:
        return station_admin.any_in_group(org_id, path)

    def create_station(self, station: NewStation, guarded: bool = True) -> StationRecord:
        group = group_item(station.group) if station.group else None
        item = station_admin.new(
            station.org_id, station.station_id, station.name, group, registration=station.registration,
            created_at=station.created_at, password_hash=station.password_hash,
        )  # fmt: skip
        with _structural():
            try:
                station_admin.create(item, group if guarded else None)
            except station_admin.Exists as exc:
                raise AlreadyExists(station.station_id) from exc
        return station_record(item)

    def edit_station(self, org_id: str, station_id: str, edit: StationEdit) -> None:
        changes: dict = {"revision": edit.revision, "name": edit.name, "points": edit.points}
        if edit.check_group:
            changes["expect_group_id"] = edit.expected_group_id
        if edit.regroup:
            changes["group"] = group_item(edit.group) if edit.group else None
        with _structural():
            try:
                station_admin.edit(org_id, station_id, **changes)
            except station_admin.Stale as exc:
                raise ConditionFailed(station_id) from exc

    def purge_station(self, org_id: str, station_id: str) -> None:
        try:
            station_admin.purge(org_id, station_id)
        except station_admin.Stale as exc:
            raise ConditionFailed(station_id) from exc

    def heal_path(self, org_id: str, station_id: str, stale: str, fresh: str) -> None:
        station_admin.heal_path(org_id, station_id, stale, fresh)

    def connector_states(self, org_id: str, station_id: str) -> list[ConnectorState]:
        return [
            ConnectorState(int(s.connector_id), s.status, s.error_code, s.info, s.timestamp)
            for s in records.connector_statuses(station_key(org_id, station_id))
        ]

    def claim_identifier(self, org_id: str, station_id: str) -> bool:
        return stations.claim_identifier(org_id, station_id)

    def release_identifier(self, org_id: str, station_id: str) -> None:
        stations.release_identifier(org_id, station_id)

    def claimed_by(self, station_id: str) -> str | None:
        return stations.claimed_by(station_id)

    # --- group moves -----------------------------------------------------------------------------
    def max_items(self) -> int:
        return group_moves.MAX_ITEMS

    def placed_under(self, org_id: str, prefix: str) -> list[Placed]:
        return _placed(org_id, prefix)

    def move_at_once(self, group, seen_version, name, parent, new_path, items) -> None:
        subtree, moved_stations = _split(group.org_id, items)
        with _structural():
            group_moves.move_at_once(group_item(group, seen_version), name, group_item(parent), new_path, subtree, moved_stations)

    def read_move(self, org_id: str) -> MoveJournal | None:
        return move_journal.read_lock(org_id)

    def start_move(self, journal, group, seen_version, name, parent) -> None:
        with _structural():
            move_journal.start(journal, group_item(group, seen_version), name, group_item(parent))

    def take_over_move(self, stale: MoveJournal, owner: str, lease_until: datetime) -> bool:
        return move_journal.take_over(stale, owner, lease_until)

    def move_chunk(self, journal: MoveJournal, lease_until: datetime, items: list[Placed]) -> None:
        subtree, moved_stations = _split(journal.org_id, items)
        with _structural():
            move_journal.chunk(journal, lease_until, subtree, moved_stations)

    def rewrite_one(self, journal: MoveJournal, item: Placed) -> None:
        j = journal
        move_journal.rewrite_one(j.org_id, item.kind, item.key, j.old_path, j.new_path, j.group_id, j.parent_id)

    def release_move(self, journal: MoveJournal) -> None:
        move_journal.release(journal)

    # --- provisioning (seed and CLI only: its storage modules are imported when first used) ---------
    def get_organization(self, org_id: str) -> Organization | None:
        try:
            item = OrganizationItem.get(org_id)
        except DoesNotExist:
            return None
        return Organization(item.org_id, item.name, item.timezone, bool(item.auto_register))

    def create_organization(self, org: Organization) -> Organization:
        item = OrganizationItem(org.org_id, name=org.name, timezone=org.timezone, auto_register=org.auto_register)
        try:
            item.save(condition=OrganizationItem.org_id.does_not_exist())
        except PutError as exc:
            raise AlreadyExists(org.org_id) from exc
        return org

    def user_group_named(self, org_id: str, name: str) -> UserGroupRecord | None:
        found = next((g for g in UserGroupItem.query(org_id) if g.name == name), None)
        return UserGroupRecord(org_id, found.user_group_id, found.name, found.home_group_id) if found else None

    def create_user_group(self, group: UserGroupRecord) -> UserGroupRecord:
        item = UserGroupItem(group.org_id, group.user_group_id, name=group.name, home_group_id=group.home_group_id, search=group.name.lower())
        item.save(condition=UserGroupItem.user_group_id.does_not_exist())
        return group

    def get_charging_user(self, org_id: str, user_id: str) -> ChargingUserRecord | None:
        from chalicelib.storage import users

        item = users.get_user(org_id, user_id)
        if item is None:
            return None
        return ChargingUserRecord(
            org_id, user_id, item.first_name, item.last_name, item.email, item.user_group_id,
            list(item.access_group_ids or []), item.home_group_id,
        )  # fmt: skip

    def create_charging_user(self, user: ChargingUserRecord) -> ChargingUserRecord:
        from chalicelib.storage import user_writes, users
        from chalicelib.storage.adapters.users import search_text

        item = ChargingUserItem(
            user.org_id, user.user_id, first_name=user.first_name, last_name=user.last_name, email=user.email,
            user_group_id=user.user_group_id, access_group_ids=list(user.access_group_ids),
            home_group_id=user.home_group_id, search=search_text(user.first_name, user.last_name, user.email),
        )  # fmt: skip
        group = users.get_user_group(user.org_id, user.user_group_id) if user.user_group_id else None
        user_writes.create_user(item, [], group)
        return user

    def token_owner(self, org_id: str, token_id: str) -> str | None:
        from chalicelib.storage import users

        token = users.get_token(org_id, token_id)
        return token.user_id if token else None

    def add_token(self, user: ChargingUserRecord, token_id: str, name: str | None, valid_from: datetime | None) -> None:
        from chalicelib.storage import user_writes, users

        item = users.get_user(user.org_id, user.user_id)
        token = TokenItem(user.org_id, token_id, user_id=user.user_id, name=name, valid_from=valid_from)
        try:
            user_writes.add_token(item, token)
        except user_writes.ConditionFailed as exc:
            raise ConditionFailed(token_id) from exc

    def create_operator(self, operator: NewOperator) -> None:
        from chalicelib.storage.adapters.operators import search_text

        search = search_text(operator.username, operator.first_name, operator.last_name, operator.email)
        item = OperatorItem(
            operator.username, org_id=operator.org_id, email=operator.email, first_name=operator.first_name,
            last_name=operator.last_name, role=operator.role, base_group_id=operator.base_group_id,
            password_hash=operator.password_hash, email_key=operator.email.lower(), search=search, activated=True,
        )  # fmt: skip
        try:
            item.save(condition=OperatorItem.username.does_not_exist())
        except PutError as exc:
            raise AlreadyExists(operator.username) from exc


class _structural:
    """Translate the tree's lock and cancelled transactions into the port's errors."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        if isinstance(exc, group_moves.LockHeld):
            raise MoveInProgress(str(exc)) from exc
        if isinstance(exc, group_moves.Cancelled | station_admin.GroupChanged):
            raise TreeChanged(str(exc)) from exc
        return False


def build() -> DynamoEstate:
    return DynamoEstate()

