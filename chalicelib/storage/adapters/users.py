"""The users port on DynamoDB: tables charging-users, tokens and user-groups, counters in the same transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import replace

from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.paging import Page
from chalicelib.ports.users import ChargingUser, Membership, Refused, RfidToken, TokenEdit, UserEdit, UserGroup
from chalicelib.storage import user_writes as writes
from chalicelib.storage import users as reads
from chalicelib.storage.models import ChargingUserItem, TokenItem, UserGroupItem
from chalicelib.storage.versions import versioned


def search_text(first_name: str, last_name: str, email: str) -> str:
    """What the user list's search box matches (a DynamoDB `contains` on one lower-case attribute)."""
    return f"{first_name} {last_name} {email}".lower()


def user_of(item: ChargingUserItem) -> ChargingUser:
    return ChargingUser(
        item.org_id, item.user_id, item.first_name, item.last_name, item.email, item.user_group_id,
        bool(item.active), list(item.access_group_ids or []), list(item.access_station_ids or []),
        item.home_group_id, int(item.token_count or 0), item.version or 0,
    )  # fmt: skip


def token_of(item: TokenItem) -> RfidToken:
    return RfidToken(item.org_id, item.token_id, item.user_id, item.name, item.status, item.valid_from, item.valid_to, item.version or 0)


def group_of(item: UserGroupItem) -> UserGroup:
    return UserGroup(
        item.org_id, item.user_group_id, item.name, bool(item.active), item.home_group_id, int(item.member_count or 0), item.version or 0
    )


def user_item(user: ChargingUser) -> ChargingUserItem:
    return ChargingUserItem(
        user.org_id, user.user_id, first_name=user.first_name, last_name=user.last_name, email=user.email,
        user_group_id=user.user_group_id, active=user.active, access_group_ids=list(user.access_group_ids),
        access_station_ids=list(user.access_station_ids), home_group_id=user.home_group_id,
        search=search_text(user.first_name, user.last_name, user.email), token_count=user.token_count,
        **versioned(user.version),
    )  # fmt: skip


def token_item(token: RfidToken) -> TokenItem:
    return TokenItem(
        token.org_id, token.token_id, user_id=token.user_id, name=token.name, status=token.status,
        valid_from=token.valid_from, valid_to=token.valid_to,
        **versioned(token.version),
    )  # fmt: skip


def group_item(group: UserGroup) -> UserGroupItem:
    return UserGroupItem(
        group.org_id, group.user_group_id, name=group.name, active=group.active, home_group_id=group.home_group_id,
        search=group.name.lower(), member_count=group.member_count,
        **versioned(group.version),
    )  # fmt: skip


@contextmanager
def _translated():
    """user_writes' errors as the port's."""
    try:
        yield
    except writes.ConditionFailed as exc:
        raise Refused(exc.labels) from exc
    except writes.TransientFailure as exc:
        raise StorageUnavailable(str(exc)) from exc


def _counts(counts: list[tuple[UserGroup, int]]) -> tuple[dict[str, UserGroupItem], Counter]:
    groups = {group.user_group_id: group_item(group) for group, _ in counts}
    delta = Counter()
    for group, change in counts:
        delta[group.user_group_id] += change
    return groups, delta


class DynamoUsers:
    def token(self, org_id: str, token_id: str) -> RfidToken | None:
        item = reads.get_token(org_id, token_id)
        return token_of(item) if item is not None else None

    def user(self, org_id: str, user_id: str) -> ChargingUser | None:
        item = reads.get_user(org_id, user_id)
        return user_of(item) if item is not None else None

    def user_group(self, org_id: str, user_group_id: str) -> UserGroup | None:
        item = reads.get_user_group(org_id, user_group_id)
        return group_of(item) if item is not None else None

    def users_by_id(self, org_id: str, user_ids: Iterable[str]) -> dict[str, ChargingUser]:
        return {key: user_of(item) for key, item in reads.users_by_id(org_id, user_ids).items()}

    def user_groups_by_id(self, org_id: str, user_group_ids: Iterable[str]) -> dict[str, UserGroup]:
        return {key: group_of(item) for key, item in reads.user_groups_by_id(org_id, user_group_ids).items()}

    def tokens_of(self, org_id: str, user_id: str) -> list[RfidToken]:
        return [token_of(item) for item in reads.tokens_of(org_id, user_id)]

    def members_of(self, org_id: str, user_group_id: str, limit: int | None = None) -> list[ChargingUser]:
        return [user_of(item) for item in reads.members_of(org_id, user_group_id, limit)]

    def domain_groups(self, org_id: str, base_path: str) -> dict[str, str]:
        return reads.domain_groups(org_id, base_path)

    def station_paths(self, org_id: str, station_ids: Iterable[str]) -> dict[str, str | None]:
        return reads.station_paths(org_id, station_ids)

    def users_page(self, org_id, limit, cursor, q, user_group_id, keep: Callable | None = None) -> Page[ChargingUser]:
        test = (lambda item: keep(user_of(item))) if keep else None
        page = reads.list_users(org_id, limit, cursor, q, user_group_id, test)
        return Page([user_of(item) for item in page.items], page.cursor)

    def user_groups_page(self, org_id, limit, cursor, q, keep: Callable | None = None) -> Page[UserGroup]:
        test = (lambda item: keep(group_of(item))) if keep else None
        page = reads.list_user_groups(org_id, limit, cursor, q, test)
        return Page([group_of(item) for item in page.items], page.cursor)

    def create_user(self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None) -> tuple[ChargingUser, list[RfidToken]]:
        item = user_item(replace(user, version=0))
        token_items = [token_item(replace(t, version=0)) for t in tokens]
        with _translated():
            writes.create_user(item, token_items, group_item(group) if group else None)
        return user_of(item), [token_of(t) for t in token_items]

    def update_user(self, current: ChargingUser, edit: UserEdit, counts: list[tuple[UserGroup, int]]) -> ChargingUser:
        u = ChargingUserItem
        actions = [
            u.first_name.set(edit.first_name),
            u.last_name.set(edit.last_name),
            u.search.set(search_text(edit.first_name, edit.last_name, current.email)),
            u.access_group_ids.set(list(edit.access_group_ids)),
            u.access_station_ids.set(list(edit.access_station_ids)),
            u.active.set(edit.active),
            u.user_group_id.set(edit.user_group_id) if edit.user_group_id else u.user_group_id.remove(),
        ]
        groups, delta = _counts(counts)
        with _translated():
            writes.update_user(user_item(current), actions, groups, delta)
        return replace(current, **vars(edit), version=current.version + 1)

    def delete_user(self, user: ChargingUser, tokens: list[RfidToken], group: UserGroup | None) -> None:
        with _translated():
            writes.delete_user(user_item(user), [token_item(t) for t in tokens], group_item(group) if group else None)

    def add_token(self, user: ChargingUser, token: RfidToken) -> RfidToken:
        item = token_item(replace(token, version=0))
        with _translated():
            writes.add_token(user_item(user), item)
        return token_of(item)

    def update_token(self, current: RfidToken, edit: TokenEdit) -> RfidToken:
        t = TokenItem
        actions = [
            t.name.set(edit.name) if edit.name is not None else t.name.remove(),
            t.status.set(edit.status),
            t.valid_to.set(edit.valid_to) if edit.valid_to is not None else t.valid_to.remove(),
        ]
        if edit.valid_from is not None:
            actions.append(t.valid_from.set(edit.valid_from))
        with _translated():
            writes.update_token(token_item(current), actions)
        valid_from = edit.valid_from if edit.valid_from is not None else current.valid_from
        return replace(current, **{**vars(edit), "valid_from": valid_from}, version=current.version + 1)

    def delete_token(self, user: ChargingUser, token: RfidToken) -> None:
        with _translated():
            writes.delete_token(user_item(user), token_item(token))

    def create_user_group(self, group: UserGroup, membership: Membership) -> UserGroup:
        change = len(membership.joining) - len(membership.leaving)
        item = group_item(replace(group, member_count=change, version=0))
        self._save_group(item, None, membership)
        return group_of(item)

    def update_user_group(self, current: UserGroup, name: str, active: bool, membership: Membership) -> UserGroup:
        change = len(membership.joining) - len(membership.leaving)
        g = UserGroupItem
        actions = [g.name.set(name), g.search.set(name.lower()), g.active.set(active), g.member_count.add(change)]
        self._save_group(group_item(current), actions, membership)
        return replace(current, name=name, active=active, member_count=current.member_count + change, version=current.version + 1)

    def _save_group(self, item: UserGroupItem, actions: list | None, membership: Membership) -> None:
        u = ChargingUserItem
        moves = [(user_item(user), [u.user_group_id.set(item.user_group_id)]) for user in membership.joining]
        moves += [(user_item(user), [u.user_group_id.remove()]) for user in membership.leaving]
        groups, delta = _counts(membership.others)
        with _translated():
            writes.save_user_group(item, actions, moves, groups, delta)

    def delete_user_group(self, group: UserGroup) -> None:
        with _translated():
            writes.delete_user_group(group_item(group))


def build() -> DynamoUsers:
    return DynamoUsers()
