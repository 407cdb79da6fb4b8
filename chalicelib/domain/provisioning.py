"""Creating organizations, groups, stations, charging users and operators (seed data, CLI, API)."""

from __future__ import annotations

import re
import uuid

from pynamodb.exceptions import PutError

from chalicelib.domain.identity import IDENTIFIER
from chalicelib.domain.passwords import hash_password
from chalicelib.storage.models import (
    ChargingGroupItem,
    ChargingUserItem,
    OperatorItem,
    OrganizationItem,
    StationItem,
    TokenItem,
    UserGroupItem,
)

FORBIDDEN = re.compile(r"[^A-Za-z0-9_-]")


class ProvisioningError(ValueError):
    """A request the manual answers with an error text."""


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def ensure_organization(org_id: str, name: str, timezone: str = "UTC", auto_register: bool = False) -> OrganizationItem:
    try:
        return OrganizationItem.get(org_id)
    except OrganizationItem.DoesNotExist:
        org = OrganizationItem(org_id, name=name, timezone=timezone, auto_register=auto_register)
        org.save()
        return org


def ensure_group_path(org_id: str, names: list[str]) -> ChargingGroupItem:
    """Find or create each group of a name path ("ACME Shopping Malls/ACME Pine Mall")."""
    parent: ChargingGroupItem | None = None
    for name in names:
        prefix = parent.path if parent else "/"
        found = next(
            (
                g
                for g in ChargingGroupItem.by_path.query(org_id, ChargingGroupItem.path.startswith(prefix))
                if g.name == name and g.parent_id == (parent.group_id if parent else None)
            ),
            None,
        )
        if found is None:
            group_id = new_id()
            found = ChargingGroupItem(
                org_id,
                group_id,
                name=name,
                parent_id=parent.group_id if parent else None,
                path=f"{prefix}{group_id}/",
                search=name.lower(),
            )
            found.save()
        parent = found
    if parent is None:
        raise ProvisioningError("Adding a new group failed. Parent group is required.")
    return parent


def create_station(
    org_id: str,
    station_id: str,
    name: str | None = None,
    group: ChargingGroupItem | None = None,
    password: str | None = None,
    exist_ok: bool = False,
) -> StationItem:
    if not station_id or not IDENTIFIER.match(station_id):
        if station_id and FORBIDDEN.search(station_id):
            raise ProvisioningError("Identifier contains forbidden characters.")
        raise ProvisioningError("Invalid charging station identifier.")
    station = StationItem(
        org_id,
        station_id,
        name=name or station_id,
        group_id=group.group_id if group else None,
        group_path=group.path if group else None,
        orphan_org=None if group else org_id,
        search=f"{station_id} {name or station_id}".lower(),
        password_hash=hash_password(password) if password else None,
        registration="Accepted",
    )
    try:
        station.save(condition=StationItem.station_id.does_not_exist())
    except PutError as exc:
        if exist_ok:
            return StationItem.get(org_id, station_id)
        raise ProvisioningError("Charging station already exists for that identifier.") from exc
    return station


def ensure_user_group(org_id: str, name: str) -> UserGroupItem:
    for group in UserGroupItem.query(org_id):
        if group.name == name:
            return group
    group = UserGroupItem(org_id, new_id(), name=name)
    group.save()
    return group


def ensure_charging_user(
    org_id: str,
    first_name: str,
    last_name: str,
    email: str,
    user_group: UserGroupItem | None = None,
    access_groups: list[ChargingGroupItem] = (),
    tokens: list[dict] = (),
) -> ChargingUserItem:
    user_id = email.lower()
    try:
        user = ChargingUserItem.get(org_id, user_id)
    except ChargingUserItem.DoesNotExist:
        user = ChargingUserItem(
            org_id,
            user_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            user_group_id=user_group.user_group_id if user_group else None,
            access_group_ids=[g.group_id for g in access_groups],
        )
        user.save()
    for token in tokens:
        item = TokenItem(org_id, token["id"], user_id=user_id, name=token.get("name"), valid_from=token.get("valid_from"))
        try:
            item.save(condition=TokenItem.token_id.does_not_exist())
        except PutError:
            if TokenItem.get(org_id, token["id"]).user_id != user_id:
                raise ProvisioningError("Token already exists.") from None
    return user


def create_operator(
    org_id: str,
    username: str,
    password: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    base_group_id: str,
) -> OperatorItem:
    if role not in ("admin", "basic"):
        raise ProvisioningError("role must be admin or basic")
    operator = OperatorItem(
        username,
        org_id=org_id,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        base_group_id=base_group_id,
        password_hash=hash_password(password),
    )
    try:
        operator.save(condition=OperatorItem.username.does_not_exist())
    except PutError as exc:
        raise ProvisioningError("Username already exists.") from exc
    return operator
