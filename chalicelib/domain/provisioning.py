"""Creating organizations, groups, stations, charging users and operators (seed data, CLI, API)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pynamodb.exceptions import PutError

from chalicelib import clock
from chalicelib.domain.operators import search_text
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


def create_organization(org_id: str, name: str, timezone: str) -> OrganizationItem:
    """A new tenant; refused when the id is taken or the time zone is not an IANA name."""
    from chalicelib.domain.organizations import is_timezone

    if not org_id.strip() or not name.strip():
        raise ProvisioningError("Organization id and name are required.")
    if not is_timezone(timezone):
        raise ProvisioningError(f"Unknown time zone {timezone!r}: use an IANA name such as Europe/Helsinki.")
    org = OrganizationItem(org_id, name=name, timezone=timezone, auto_register=False)
    try:
        org.save(condition=OrganizationItem.org_id.does_not_exist())
    except PutError as exc:
        raise ProvisioningError(f"Organization {org_id} already exists.") from exc
    return org


def _child(org_id: str, parent: ChargingGroupItem | None, name: str) -> ChargingGroupItem | None:
    prefix = parent.path if parent else "/"
    parent_id = parent.group_id if parent else None
    groups = ChargingGroupItem.by_path.query(org_id, ChargingGroupItem.path.startswith(prefix))
    return next((g for g in groups if g.name == name and g.parent_id == parent_id), None)


def find_group_path(org_id: str, names: list[str]) -> ChargingGroupItem | None:
    """The last group of a name path, or None when any group on it is missing (nothing is created)."""
    group: ChargingGroupItem | None = None
    for name in names:
        group = _child(org_id, group, name)
        if group is None:
            return None
    return group


def ensure_group_path(org_id: str, names: list[str]) -> ChargingGroupItem:
    """Find or create each group of a name path ("ACME Shopping Malls/ACME Pine Mall")."""
    parent: ChargingGroupItem | None = None
    for name in names:
        found = _child(org_id, parent, name)
        if found is None:
            prefix = parent.path if parent else "/"
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
    now: datetime | None = None,
) -> StationItem:
    """A station for the seed and the CLI (the API goes through domain.stations with its domain checks)."""
    from chalicelib.domain import aggregates
    from chalicelib.domain.stations import identifier_problem

    problem = identifier_problem(station_id)
    if problem:
        raise ProvisioningError(problem)
    now = now or clock.now()
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
        created_at=now,
    )
    try:
        station.save(condition=StationItem.station_id.does_not_exist())
    except PutError as exc:
        if exist_ok:
            return StationItem.get(org_id, station_id)
        raise ProvisioningError("Charging station already exists for that identifier.") from exc
    from chalicelib.storage.stations import claim_identifier

    claim_identifier(org_id, station_id)
    aggregates.station_added(org_id, station_id, group.group_id if group else None, now)
    return station


def ensure_user_group(org_id: str, name: str, home_group_id: str | None = None) -> UserGroupItem:
    for group in UserGroupItem.query(org_id):
        if group.name == name:
            return group
    group = UserGroupItem(org_id, new_id(), name=name, home_group_id=home_group_id, search=name.lower())
    group.save(condition=UserGroupItem.user_group_id.does_not_exist())
    return group


def ensure_charging_user(
    org_id: str,
    first_name: str,
    last_name: str,
    email: str,
    user_group: UserGroupItem | None = None,
    access_groups: list[ChargingGroupItem] = (),
    tokens: list[dict] = (),
    home_group_id: str | None = None,
) -> ChargingUserItem:
    """Find or create a charging user (its user group's member count kept) and add the missing tokens."""
    from chalicelib.domain.charging_users import search_text as user_search
    from chalicelib.domain.tokens import canonical
    from chalicelib.storage import user_writes, users

    user_id = email.lower()
    user = users.get_user(org_id, user_id)
    if user is None:
        user = ChargingUserItem(
            org_id,
            user_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            user_group_id=user_group.user_group_id if user_group else None,
            access_group_ids=[g.group_id for g in access_groups],
            home_group_id=home_group_id,
            search=user_search(first_name, last_name, email),
        )
        user_writes.create_user(user, [], user_group)
    for token in tokens:
        token_id = canonical(token["id"])
        existing = users.get_token(org_id, token_id)
        if existing is not None and existing.user_id == user_id:
            continue
        item = TokenItem(org_id, token_id, user_id=user_id, name=token.get("name"), valid_from=token.get("valid_from"))
        try:
            user_writes.add_token(user, item)
        except user_writes.ConditionFailed:
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
        email_key=email.lower(),
        search=search_text(username, first_name, last_name, email),
        activated=True,
    )
    try:
        operator.save(condition=OperatorItem.username.does_not_exist())
    except PutError as exc:
        raise ProvisioningError("Username already exists.") from exc
    return operator
