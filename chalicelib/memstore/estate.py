"""The estate port in memory: groups, stations, the move lock and provisioning kept in dicts.

Every write checks its conditions before it changes anything, so a refused write leaves nothing
behind, as a DynamoDB transaction does.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, fields, replace
from datetime import datetime

from chalicelib.memstore import tables
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
    Placed,
    StationEdit,
    StationRecord,
    TreeChanged,
    UserGroupRecord,
)
from chalicelib.ports.operators import Operator
from chalicelib.ports.paging import InvalidCursor, Page, clamp, pack, unpack
from chalicelib.ports.records import ConnectorStatus
from chalicelib.ports.users import ChargingUser, RfidToken, UserGroup

_RECORD_FIELDS = {f.name for f in fields(StationRecord)}

MAX_ITEMS = 100  # what one atomic write holds, as DynamoDB's TransactWriteItems


def _decode(cursor: str | None, org_id: str) -> tuple | None:
    if not cursor:
        return None
    key = unpack(cursor)
    if not isinstance(key, list) or len(key) != 3 or key[0] != org_id:
        raise InvalidCursor(cursor)
    return tuple(key[1:])


def _page(org_id: str, rows: list[tuple[tuple, object]], limit: int, cursor: str | None) -> Page:
    """`rows` are (sort key, value) sorted; a full page's cursor is its last sort key."""
    limit = clamp(limit)
    start = _decode(cursor, org_id)
    after = [(k, v) for k, v in rows if start is None or k > start]
    chosen = after[:limit]
    last = pack([org_id, *chosen[-1][0]]) if len(chosen) == limit else None
    return Page([v for _, v in chosen], last)


class MemoryEstate:
    """Every method of `chalicelib.ports.estate.Estate`, on the store's shared dicts."""

    def __init__(self, state) -> None:
        # Shared with the other ports (see tables): the same stations, groups, users... they read.
        self.groups: dict[tuple[str, str], GroupRecord] = state.collection(tables.GROUPS)
        self.stations: dict[tuple[str, str], dict] = state.collection(tables.STATIONS)
        self.claims: dict[str, str] = state.collection(tables.CLAIMS)
        self.statuses: dict[tuple[str, str], dict[int, ConnectorStatus]] = state.collection(tables.STATUSES)
        self.orgs: dict[str, Organization] = state.collection(tables.ORGANIZATIONS)
        self.user_groups: dict[tuple[str, str], UserGroup] = state.collection(tables.USER_GROUPS)
        self.users: dict[tuple[str, str], ChargingUser] = state.collection(tables.CHARGING_USERS)
        self.tokens: dict[tuple[str, str], RfidToken] = state.collection(tables.TOKENS)
        self.operators: dict[str, Operator] = state.collection(tables.OPERATORS)
        # The estate's own: the organization's group-move journal.
        self.moves: dict[str, MoveJournal] = state.collection("estate_moves")

    # --- groups ----------------------------------------------------------------------------------
    def get_group(self, org_id: str, group_id: str, consistent: bool = False) -> GroupRecord | None:
        return self.groups.get((org_id, group_id))

    def _under(self, org_id: str, prefix: str) -> list[GroupRecord]:
        found = [g for (org, _), g in self.groups.items() if org == org_id and g.path.startswith(prefix)]
        return sorted(found, key=lambda g: g.path)

    def page_groups(self, org_id, prefix, limit, cursor, q) -> Page[GroupRecord]:
        rows = [((g.path, g.group_id), g) for g in self._under(org_id, prefix) if not q or q.lower() in g.name.lower()]
        return _page(org_id, rows, limit, cursor)

    def subtree(self, org_id: str, prefix: str) -> list[GroupRecord]:
        return self._under(org_id, prefix)

    def children(self, group: GroupRecord) -> list[GroupRecord]:
        return [g for g in self._under(group.org_id, group.path) if g.parent_id == group.group_id]

    def has_subgroups(self, group: GroupRecord) -> bool:
        return any(g.group_id != group.group_id for g in self._under(group.org_id, group.path))

    def group_names(self, org_id: str, group_ids: set[str]) -> dict[str, str]:
        return {i: self.groups[(org_id, i)].name for i in group_ids if (org_id, i) in self.groups}

    def is_base_of_an_operator(self, org_id: str, group_id: str) -> bool:
        return any(o.org_id == org_id and o.base_group_id == group_id for o in self.operators.values())

    def _lock_free(self, org_id: str) -> None:
        if org_id in self.moves:
            raise MoveInProgress(org_id)

    def _current(self, group: GroupRecord) -> GroupRecord:
        """The stored group, if still at the version read (TreeChanged otherwise)."""
        stored = self.groups.get((group.org_id, group.group_id))
        if stored is None or stored.version != group.version:
            raise TreeChanged(group.group_id)
        return stored

    def _bump(self, group: GroupRecord, **changes) -> None:
        self.groups[(group.org_id, group.group_id)] = replace(group, version=group.version + 1, **changes)

    def create_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord) -> GroupRecord:
        self._lock_free(org_id)
        stored = self._current(parent)
        if (org_id, group_id) in self.groups:
            raise TreeChanged(group_id)
        self._bump(stored)
        group = self.groups[(org_id, group_id)] = GroupRecord(org_id, group_id, name, parent.group_id, f"{parent.path}{group_id}/", 1)
        return group

    def rename_group(self, group: GroupRecord, seen_version: int, name: str) -> None:
        stored = self.groups.get((group.org_id, group.group_id))
        if stored is None or stored.version != seen_version:
            raise ConditionFailed(group.group_id)
        self._bump(stored, name=name)

    def delete_group(self, group: GroupRecord) -> None:
        self._lock_free(group.org_id)
        self._current(group)
        del self.groups[(group.org_id, group.group_id)]

    def provision_group(self, org_id: str, group_id: str, name: str, parent: GroupRecord | None) -> GroupRecord:
        path = f"{parent.path if parent else '/'}{group_id}/"
        group = GroupRecord(org_id, group_id, name, parent.group_id if parent else None, path, 1)
        self.groups[(org_id, group_id)] = group
        return group

    # --- stations --------------------------------------------------------------------------------
    def _record(self, fields: dict) -> StationRecord:
        return StationRecord(**{k: copy.deepcopy(v) for k, v in fields.items() if k in _RECORD_FIELDS})

    def get_station(self, org_id: str, station_id: str, consistent: bool = False) -> StationRecord | None:
        fields = self.stations.get((org_id, station_id))
        return self._record(fields) if fields else None

    def stations_online(self, org_id: str, station_ids: list[str]) -> dict[str, tuple[StationRecord, str | None]]:
        found = {s: self.stations.get((org_id, s)) for s in station_ids}
        return {s: (self._record(fields), fields.get("connection_id")) for s, fields in found.items() if fields}

    def _org_stations(self, org_id: str) -> list[dict]:
        return [f for (org, _), f in self.stations.items() if org == org_id]

    @staticmethod
    def _matches(fields: dict, q: str | None) -> bool:
        return not q or q.lower() in f"{fields['station_id']} {fields['name']}".lower()

    def page_in_subtree(self, org_id, prefix, limit, cursor, q) -> Page[StationRecord]:
        found = [f for f in self._org_stations(org_id) if (f["group_path"] or "").startswith(prefix) and f["group_path"]]
        rows = sorted(((f["group_path"], f["station_id"]), self._record(f)) for f in found if self._matches(f, q))
        return _page(org_id, rows, limit, cursor)

    def page_of_orphans(self, org_id, limit, cursor, q) -> Page[StationRecord]:
        found = [f for f in self._org_stations(org_id) if not f["group_id"]]
        rows = sorted((("", f["station_id"]), self._record(f)) for f in found if self._matches(f, q))
        return _page(org_id, rows, limit, cursor)

    def stations_in_group(self, org_id: str, path: str) -> list[StationRecord]:
        return [self._record(f) for f in self._org_stations(org_id) if f["group_path"] == path]

    def any_station_in_group(self, org_id: str, path: str) -> bool:
        return any(f["group_path"] == path for f in self._org_stations(org_id))

    def create_station(self, station: NewStation, guarded: bool = True) -> StationRecord:
        group = station.group
        if guarded and group is not None:
            self._lock_free(station.org_id)
        if (station.org_id, station.station_id) in self.stations:
            raise AlreadyExists(station.station_id)
        if guarded and group is not None:
            self._bump(self._current(group))
        record = StationRecord(
            station.org_id, station.station_id, station.name, group.group_id if group else None,
            group.path if group else None, registration=station.registration, created_at=station.created_at,
        )  # fmt: skip
        fields = tables.station_fields(**asdict(record), password_hash=station.password_hash)
        self.stations[(station.org_id, station.station_id)] = fields
        return record

    def edit_station(self, org_id: str, station_id: str, edit: StationEdit) -> None:
        target = edit.group if edit.regroup else None
        if target is not None:
            self._lock_free(org_id)
        fields = self.stations.get((org_id, station_id))
        if fields is None or (edit.revision is not None and fields["revision"] != edit.revision):
            raise ConditionFailed(station_id)
        if edit.check_group and fields["group_id"] != edit.expected_group_id:
            raise ConditionFailed(station_id)
        if target is not None:
            self._bump(self._current(target))
        changes: dict = {"revision": fields["revision"] + 1}
        if edit.name is not None:
            changes["name"] = edit.name
        if edit.regroup:
            changes.update(group_id=target.group_id if target else None, group_path=target.path if target else None)
        if edit.points is not None:
            changes.update(points=[dict(p) for p in edit.points], point_count=len(edit.points))
        fields.update(changes)

    def purge_station(self, org_id: str, station_id: str) -> None:
        fields = self.stations.get((org_id, station_id))
        if fields is None or fields["group_id"]:
            raise ConditionFailed(station_id)
        del self.stations[(org_id, station_id)]

    def heal_path(self, org_id: str, station_id: str, stale: str, fresh: str) -> None:
        fields = self.stations.get((org_id, station_id))
        if fields is not None and fields["group_path"] == stale:
            fields["group_path"] = fresh

    def connector_states(self, org_id: str, station_id: str) -> list[ConnectorState]:
        found = self.statuses.get((org_id, station_id), {})
        return [ConnectorState(c, found[c].status, found[c].error_code, found[c].info, found[c].at) for c in sorted(found)]

    def claim_identifier(self, org_id: str, station_id: str) -> bool:
        if self.claims.setdefault(station_id, org_id) != org_id:
            return False
        return True

    def release_identifier(self, org_id: str, station_id: str) -> None:
        if self.claims.get(station_id) == org_id:
            del self.claims[station_id]

    def claimed_by(self, station_id: str) -> str | None:
        return self.claims.get(station_id)

    # --- group moves -----------------------------------------------------------------------------
    def max_items(self) -> int:
        return MAX_ITEMS

    def placed_under(self, org_id: str, prefix: str) -> list[Placed]:
        found = [Placed("group", g.group_id, g.path, g.version) for g in self._under(org_id, prefix)]
        stations = sorted((f["group_path"], f["station_id"]) for f in self._org_stations(org_id) if (f["group_path"] or "").startswith(prefix))
        return found + [Placed("station", key, path) for path, key in stations]

    def _check_placed(self, org_id: str, items: list[Placed]) -> None:
        """Each item must still have the path it was read with (TreeChanged otherwise)."""
        for item in items:
            if self._path_of(org_id, item) != item.path:
                raise TreeChanged(item.key)

    def _path_of(self, org_id: str, item: Placed) -> str | None:
        if item.kind == "group":
            group = self.groups.get((org_id, item.key))
            return group.path if group else None
        fields = self.stations.get((org_id, item.key))
        return fields["group_path"] if fields else None

    def _rebase(self, org_id: str, item: Placed, old: str, new: str, moved_id: str, parent_id: str) -> None:
        path = new + item.path[len(old) :]
        if item.kind == "station":
            self.stations[(org_id, item.key)]["group_path"] = path
            return
        group = self.groups[(org_id, item.key)]
        self._bump(group, path=path, parent_id=parent_id if item.key == moved_id else group.parent_id)

    def move_at_once(self, group, seen_version, name, parent, new_path, items) -> None:
        org = group.org_id
        self._lock_free(org)
        stored, stored_parent = self._moved(group, seen_version), self._current(parent)
        rest = [i for i in items if not (i.kind == "group" and i.key == group.group_id)]
        self._check_placed(org, rest)
        self._bump(stored, name=name, path=new_path, parent_id=parent.group_id)
        self._bump(stored_parent)
        for item in rest:
            self._rebase(org, item, group.path, new_path, group.group_id, parent.group_id)

    def _moved(self, group: GroupRecord, seen_version: int) -> GroupRecord:
        stored = self.groups.get((group.org_id, group.group_id))
        if stored is None or stored.version != seen_version:
            raise TreeChanged(group.group_id)
        return stored

    def read_move(self, org_id: str) -> MoveJournal | None:
        return self.moves.get(org_id)

    def start_move(self, journal, group, seen_version, name, parent) -> None:
        self._lock_free(journal.org_id)
        stored, stored_parent = self._moved(group, seen_version), self._current(parent)
        self.moves[journal.org_id] = journal
        self._bump(stored, name=name)
        self._bump(stored_parent)

    def take_over_move(self, stale: MoveJournal, owner: str, lease_until: datetime) -> bool:
        current = self.moves.get(stale.org_id)
        if current is None or (current.owner, current.lease_until) != (stale.owner, stale.lease_until):
            return False
        self.moves[stale.org_id] = replace(current, owner=owner, lease_until=lease_until)
        return True

    def move_chunk(self, journal: MoveJournal, lease_until: datetime, items: list[Placed]) -> None:
        current = self.moves.get(journal.org_id)
        if current is None or current.owner != journal.owner:
            raise MoveInProgress(journal.org_id)
        self._check_placed(journal.org_id, items)
        self.moves[journal.org_id] = replace(current, lease_until=lease_until)
        for item in items:
            self._rebase(journal.org_id, item, journal.old_path, journal.new_path, journal.group_id, journal.parent_id)

    def rewrite_one(self, journal: MoveJournal, item: Placed) -> None:
        path = self._path_of(journal.org_id, item)
        if path and path.startswith(journal.old_path):
            fresh = replace(item, path=path)
            self._rebase(journal.org_id, fresh, journal.old_path, journal.new_path, journal.group_id, journal.parent_id)

    def release_move(self, journal: MoveJournal) -> None:
        current = self.moves.get(journal.org_id)
        if current is not None and current.owner == journal.owner:
            del self.moves[journal.org_id]

    # --- provisioning ----------------------------------------------------------------------------
    def get_organization(self, org_id: str) -> Organization | None:
        found = self.orgs.get(org_id)
        return replace(found, version=0) if found is not None else None  # the settings' lock is the operators port's

    def create_organization(self, org: Organization) -> Organization:
        if org.org_id in self.orgs:
            raise AlreadyExists(org.org_id)
        self.orgs[org.org_id] = replace(org, version=1)
        return org

    def user_group_named(self, org_id: str, name: str) -> UserGroupRecord | None:
        found = sorted((g for (org, _), g in self.user_groups.items() if org == org_id and g.name == name), key=lambda g: g.user_group_id)
        return UserGroupRecord(org_id, found[0].user_group_id, found[0].name, found[0].home_group_id) if found else None

    def create_user_group(self, group: UserGroupRecord) -> UserGroupRecord:
        key = (group.org_id, group.user_group_id)
        if key in self.user_groups:
            raise AlreadyExists(group.user_group_id)
        self.user_groups[key] = UserGroup(group.org_id, group.user_group_id, group.name, home_group_id=group.home_group_id, version=1)
        return group

    def get_charging_user(self, org_id: str, user_id: str) -> ChargingUserRecord | None:
        found = self.users.get((org_id, user_id))
        if found is None:
            return None
        return ChargingUserRecord(
            org_id, user_id, found.first_name, found.last_name, found.email, found.user_group_id,
            list(found.access_group_ids), found.home_group_id,
        )  # fmt: skip

    def create_charging_user(self, user: ChargingUserRecord) -> ChargingUserRecord:
        key = (user.org_id, user.user_id)
        group_key = (user.org_id, user.user_group_id)
        if key in self.users:
            raise ConditionFailed(user.user_id)
        self.users[key] = ChargingUser(
            user.org_id, user.user_id, user.first_name, user.last_name, user.email, user.user_group_id,
            access_group_ids=list(user.access_group_ids), home_group_id=user.home_group_id, version=1,
        )  # fmt: skip
        group = self.user_groups.get(group_key)
        if group is not None:
            self.user_groups[group_key] = replace(group, member_count=group.member_count + 1, version=group.version + 1)
        return user

    def token_owner(self, org_id: str, token_id: str) -> str | None:
        token = self.tokens.get((org_id, token_id))
        return token.user_id if token else None

    def add_token(self, user: ChargingUserRecord, token_id: str, name: str | None, valid_from: datetime | None) -> None:
        key = (user.org_id, token_id)
        holder = self.users.get((user.org_id, user.user_id))
        if key in self.tokens or holder is None:
            raise ConditionFailed(token_id)
        self.tokens[key] = RfidToken(user.org_id, token_id, user.user_id, name, valid_from=valid_from, version=1)
        self.users[(user.org_id, user.user_id)] = replace(holder, token_count=holder.token_count + 1)

    def create_operator(self, operator: NewOperator) -> None:
        if operator.username in self.operators:
            raise AlreadyExists(operator.username)
        self.operators[operator.username] = Operator(
            **asdict(operator), activated=True, email_key=operator.email.lower(), version=1
        )


def build(state) -> MemoryEstate:
    return MemoryEstate(state)
