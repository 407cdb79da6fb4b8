"""The users port in memory: each write checks every precondition first, then applies all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from chalicelib.memstore import tables
from chalicelib.memstore.paging import page
from chalicelib.ports.estate import GroupRecord
from chalicelib.ports.paging import Page
from chalicelib.ports.users import ChargingUser, Membership, Refused, RfidToken, TokenEdit, UserEdit, UserGroup


def _search(user: ChargingUser) -> str:
    return f"{user.first_name} {user.last_name} {user.email}".lower()


class _Tx:
    """Preconditions (label, holds) and changes (apply), all applied only when every one holds."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.changes: list[Callable[[], None]] = []

    def check(self, label: str, holds: bool) -> None:
        if not holds:
            self.failed.append(label)

    def commit(self) -> None:
        if self.failed:
            raise Refused(self.failed)
        for change in self.changes:
            change()


class MemoryUsers:
    """Users, tokens and user groups the stations port's Authorize reads too; groups and stations are the estate's."""

    def __init__(self, state) -> None:
        self._users: dict[tuple[str, str], ChargingUser] = state.collection(tables.CHARGING_USERS)
        self._tokens: dict[tuple[str, str], RfidToken] = state.collection(tables.TOKENS)
        self._groups: dict[tuple[str, str], UserGroup] = state.collection(tables.USER_GROUPS)
        self._charging_groups: dict[tuple[str, str], GroupRecord] = state.collection(tables.GROUPS)
        self._stations: dict[tuple[str, str], dict] = state.collection(tables.STATIONS)

    # Seeding for tests: stations are created elsewhere in the application.
    def add_station(self, org_id: str, station_id: str, group_path: str | None) -> None:
        group_id = group_path.strip("/").split("/")[-1] if group_path else None
        self._stations[(org_id, station_id)] = tables.station_fields(org_id, station_id, group_id=group_id, group_path=group_path)

    def token(self, org_id, token_id):
        return self._tokens.get((org_id, token_id))

    def user(self, org_id, user_id):
        return self._users.get((org_id, user_id))

    def user_group(self, org_id, user_group_id):
        return self._groups.get((org_id, user_group_id))

    def users_by_id(self, org_id: str, user_ids: Iterable[str]) -> dict[str, ChargingUser]:
        return {u: self._users[(org_id, u)] for u in user_ids if (org_id, u) in self._users}

    def user_groups_by_id(self, org_id: str, user_group_ids: Iterable[str]) -> dict[str, UserGroup]:
        return {g: self._groups[(org_id, g)] for g in user_group_ids if (org_id, g) in self._groups}

    def tokens_of(self, org_id: str, user_id: str) -> list[RfidToken]:
        mine = [t for (org, _), t in self._tokens.items() if org == org_id and t.user_id == user_id]
        return sorted(mine, key=lambda t: t.token_id)

    def members_of(self, org_id: str, user_group_id: str, limit: int | None = None) -> list[ChargingUser]:
        members = sorted((u for u in self._users.values() if u.org_id == org_id and u.user_group_id == user_group_id), key=lambda u: u.user_id)
        return members[:limit] if limit is not None else members

    def domain_groups(self, org_id: str, base_path: str) -> dict[str, str]:
        groups = self._charging_groups.items()
        return {g: group.path for (org, g), group in groups if org == org_id and group.path.startswith(base_path)}

    def station_paths(self, org_id: str, station_ids: Iterable[str]) -> dict[str, str | None]:
        return {s: self._stations[(org_id, s)]["group_path"] for s in station_ids if (org_id, s) in self._stations}

    def users_page(self, org_id, limit, cursor, q, user_group_id, keep=None) -> Page[ChargingUser]:
        rows = [
            (u.user_id, u) for u in self._users.values()
            if u.org_id == org_id and (not user_group_id or u.user_group_id == user_group_id) and (not q or q.lower() in _search(u))
        ]  # fmt: skip
        return page(rows, org_id, limit, cursor, keep)

    def user_groups_page(self, org_id, limit, cursor, q, keep=None) -> Page[UserGroup]:
        rows = [(g.user_group_id, g) for g in self._groups.values() if g.org_id == org_id and (not q or q.lower() in g.name.lower())]
        return page(rows, org_id, limit, cursor, keep)

    # --- writes ------------------------------------------------------------------------------------
    def _put(self, tx: _Tx, table: dict, key: tuple, value, label: str) -> None:
        tx.check(label, key not in table)
        tx.changes.append(lambda: table.__setitem__(key, value))

    def _bump(self, tx: _Tx, table: dict, key: tuple, label: str, version: int | None = None, **adds) -> None:
        """Update an item that must exist (at `version` when given); adds to counters, bumps the version."""
        stored = table.get(key)
        tx.check(label, stored is not None and (version is None or stored.version == version))

        def apply() -> None:
            now = table[key]
            counters = {name: getattr(now, name) + change for name, change in adds.items()}
            table[key] = replace(now, **counters, version=now.version + 1)

        tx.changes.append(apply)

    def _group_counts(self, tx: _Tx, counts: list[tuple[UserGroup, int]]) -> None:
        for group, change in counts:
            if change:
                self._bump(tx, self._groups, (group.org_id, group.user_group_id), f"group:{group.user_group_id}", member_count=change)

    def create_user(self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None) -> tuple[ChargingUser, list[RfidToken]]:
        saved = replace(user, token_count=len(tokens), version=1)
        saved_tokens = [replace(token, version=1) for token in tokens]
        tx = _Tx()
        self._put(tx, self._users, (user.org_id, user.user_id), saved, "user")
        for token in saved_tokens:
            self._put(tx, self._tokens, (token.org_id, token.token_id), token, f"token:{token.token_id}")
        self._group_counts(tx, [(group, 1)] if group else [])
        tx.commit()
        return saved, saved_tokens

    def update_user(self, current: ChargingUser, edit: UserEdit, counts: list[tuple[UserGroup, int]]) -> ChargingUser:
        key = (current.org_id, current.user_id)
        tx = _Tx()
        self._bump(tx, self._users, key, "user", current.version)
        tx.changes.append(lambda: self._users.__setitem__(key, replace(self._users[key], **vars(edit))))
        self._group_counts(tx, counts)
        tx.commit()
        return self._users[key]

    def delete_user(self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None) -> None:
        key = (user.org_id, user.user_id)
        tx = _Tx()
        for token in tokens:
            self._delete_token(tx, token, user.user_id, f"token:{token.token_id}")
        stored = self._users.get(key)
        tx.check("user", stored is not None and stored.version == user.version)
        tx.changes.append(lambda: self._users.pop(key))
        self._group_counts(tx, [(group, -1)] if group else [])
        tx.commit()

    def _delete_token(self, tx: _Tx, token: RfidToken, user_id: str, label: str) -> None:
        key = (token.org_id, token.token_id)
        stored = self._tokens.get(key)
        tx.check(label, stored is not None and stored.user_id == user_id)
        tx.changes.append(lambda: self._tokens.pop(key))

    def add_token(self, user: ChargingUser, token: RfidToken) -> RfidToken:
        saved = replace(token, version=1)
        tx = _Tx()
        self._put(tx, self._tokens, (token.org_id, token.token_id), saved, "token")
        self._bump(tx, self._users, (user.org_id, user.user_id), "user", token_count=1)
        tx.commit()
        return saved

    def update_token(self, current: RfidToken, edit: TokenEdit) -> RfidToken:
        key = (current.org_id, current.token_id)
        stored = self._tokens.get(key)
        tx = _Tx()
        tx.check("token", stored is not None and stored.user_id == current.user_id and stored.version == current.version)
        tx.commit()
        valid_from = edit.valid_from if edit.valid_from is not None else stored.valid_from
        saved = self._tokens[key] = replace(stored, **{**vars(edit), "valid_from": valid_from}, version=stored.version + 1)
        return saved

    def delete_token(self, user: ChargingUser, token: RfidToken) -> None:
        tx = _Tx()
        self._delete_token(tx, token, user.user_id, "token")
        self._bump(tx, self._users, (user.org_id, user.user_id), "user", token_count=-1)
        tx.commit()

    def create_user_group(self, group: UserGroup, membership: Membership) -> UserGroup:
        change = len(membership.joining) - len(membership.leaving)
        saved = replace(group, member_count=change, version=1)
        tx = _Tx()
        self._put(tx, self._groups, (group.org_id, group.user_group_id), saved, "user_group")
        self._moves(tx, group.user_group_id, membership)
        tx.commit()
        return saved

    def update_user_group(self, current: UserGroup, name: str, active: bool, membership: Membership) -> UserGroup:
        key = (current.org_id, current.user_group_id)
        tx = _Tx()
        self._bump(tx, self._groups, key, "user_group", current.version, member_count=len(membership.joining) - len(membership.leaving))
        tx.changes.append(lambda: self._groups.__setitem__(key, replace(self._groups[key], name=name, active=active)))
        self._moves(tx, current.user_group_id, membership)
        tx.commit()
        return self._groups[key]

    def _moves(self, tx: _Tx, group_id: str, membership: Membership) -> None:
        for user, target in [(u, group_id) for u in membership.joining] + [(u, None) for u in membership.leaving]:
            key = (user.org_id, user.user_id)
            self._bump(tx, self._users, key, f"user:{user.user_id}", user.version)
            tx.changes.append(lambda key=key, target=target: self._users.__setitem__(key, replace(self._users[key], user_group_id=target)))
        self._group_counts(tx, membership.others)

    def delete_user_group(self, group: UserGroup) -> None:
        key = (group.org_id, group.user_group_id)
        stored = self._groups.get(key)
        tx = _Tx()
        tx.check("user_group", stored is not None and stored.member_count == 0)
        tx.changes.append(lambda: self._groups.pop(key))
        tx.commit()


def build(state) -> MemoryUsers:
    return MemoryUsers(state)
