"""Charging users, their RFID tokens and user groups (reads on the Authorize path)."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.storage.models import ChargingUserItem, TokenItem, UserGroupItem


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
