"""Charging users, their RFID tokens and user groups: reads for Authorize and the API, and the lists."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pynamodb.exceptions import DoesNotExist

from chalicelib.storage.models import ChargingGroupItem, ChargingUserItem, StationItem, TokenItem, UserGroupItem
from chalicelib.storage.paging import Page, query_page

BATCH = 100  # BatchGetItem's limit


def get_token(org_id: str, token_id: str) -> TokenItem | None:
    try:
        return TokenItem.get(org_id, token_id)
    except DoesNotExist:
        return None


def get_user(org_id: str, user_id: str) -> ChargingUserItem | None:
    try:
        return ChargingUserItem.get(org_id, user_id)
    except DoesNotExist:
        return None


def get_user_group(org_id: str, user_group_id: str) -> UserGroupItem | None:
    try:
        return UserGroupItem.get(org_id, user_group_id)
    except DoesNotExist:
        return None


def domain_groups(org_id: str, base_path: str) -> dict[str, str]:
    """group id -> path of every charging group under a base path (one Query of `by-path`)."""
    query = ChargingGroupItem.by_path.query(
        org_id, ChargingGroupItem.path.startswith(base_path), attributes_to_get=["group_id", "path"]
    )
    return {group.group_id: group.path for group in query}


def station_paths(org_id: str, station_ids: Iterable[str]) -> dict[str, str | None]:
    """station id -> group path (None for an orphan) of the stations that exist (BatchGetItem)."""
    stations = _batch_get(StationItem, org_id, station_ids, ["station_id", "group_path"])
    return {station.station_id: station.group_path for station in stations}


def users_by_id(org_id: str, user_ids: Iterable[str]) -> dict[str, ChargingUserItem]:
    return {u.user_id: u for u in _batch_get(ChargingUserItem, org_id, user_ids)}


def user_groups_by_id(org_id: str, user_group_ids: Iterable[str]) -> dict[str, UserGroupItem]:
    return {g.user_group_id: g for g in _batch_get(UserGroupItem, org_id, user_group_ids)}


def _batch_get(model, org_id: str, ids: Iterable[str], attributes: list[str] | None = None):
    """Items of one organization by range key, BATCH keys per BatchGetItem (duplicates asked once)."""
    keys = [(org_id, item_id) for item_id in dict.fromkeys(ids)]
    for start in range(0, len(keys), BATCH):
        yield from model.batch_get(keys[start : start + BATCH], attributes_to_get=attributes)


def tokens_of(org_id: str, user_id: str) -> list[TokenItem]:
    """Every token of a user, in token id order (Query `by-user`)."""
    tokens = TokenItem.by_user.query(org_id, TokenItem.user_id == user_id)
    return sorted(tokens, key=lambda token: token.token_id)


def members_of(org_id: str, user_group_id: str, limit: int | None = None) -> list[ChargingUserItem]:
    """Users of a user group (Query `by-user-group`, eventually consistent)."""
    return list(ChargingUserItem.by_user_group.query(org_id, ChargingUserItem.user_group_id == user_group_id, limit=limit))


def list_users(
    org_id: str, limit: int, cursor: str | None, q: str | None, user_group_id: str | None, keep: Callable
) -> Page:
    """A page of charging users: the org partition (or one user group's members) with the text search."""
    search = ChargingUserItem.search.contains(q.lower()) if q else None
    if user_group_id:
        return query_page(
            lambda **kw: ChargingUserItem.by_user_group.query(
                org_id, ChargingUserItem.user_group_id == user_group_id, filter_condition=search, **kw
            ),
            limit, cursor, hash_key=("org_id", org_id), keep=keep,
        )
    return query_page(
        lambda **kw: ChargingUserItem.query(org_id, filter_condition=search, **kw),
        limit, cursor, hash_key=("org_id", org_id), keep=keep,
    )


def list_user_groups(org_id: str, limit: int, cursor: str | None, q: str | None, keep: Callable) -> Page:
    search = UserGroupItem.search.contains(q.lower()) if q else None
    return query_page(
        lambda **kw: UserGroupItem.query(org_id, filter_condition=search, **kw),
        limit, cursor, hash_key=("org_id", org_id), keep=keep,
    )
