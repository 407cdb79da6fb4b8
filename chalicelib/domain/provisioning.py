"""Creating organizations, groups, stations, charging users and operators (seed data, CLI, API)."""

from __future__ import annotations

from datetime import datetime

from chalicelib import clock
from chalicelib.domain import aggregates
from chalicelib.domain.ids import new_id
from chalicelib.domain.passwords import hash_password
from chalicelib.domain.stations import identifier_problem
from chalicelib.ports.errors import AlreadyExists, ConditionFailed
from chalicelib.ports.estate import (
    ChargingUserRecord,
    GroupRecord,
    NewOperator,
    NewStation,
    Organization,
    StationRecord,
    UserGroupRecord,
)
from chalicelib.ports.registry import store

__all__ = ["new_id"]  # callers of the former home of new_id


class ProvisioningError(ValueError):
    """A request the manual answers with an error text."""


def ensure_organization(org_id: str, name: str, timezone: str = "UTC", auto_register: bool = False) -> Organization:
    estate = store().estate
    found = estate.get_organization(org_id)
    if found is not None:
        return found
    try:
        return estate.create_organization(Organization(org_id, name, timezone, auto_register))
    except AlreadyExists:
        return estate.get_organization(org_id)


def create_organization(org_id: str, name: str, timezone: str) -> Organization:
    """A new tenant; refused when the id is taken or the time zone is not an IANA name."""
    from chalicelib.domain.organizations import is_timezone

    if not org_id.strip() or not name.strip():
        raise ProvisioningError("Organization id and name are required.")
    if not is_timezone(timezone):
        raise ProvisioningError(f"Unknown time zone {timezone!r}: use an IANA name such as Europe/Helsinki.")
    try:
        return store().estate.create_organization(Organization(org_id, name, timezone, False))
    except AlreadyExists as exc:
        raise ProvisioningError(f"Organization {org_id} already exists.") from exc


def _child(org_id: str, parent: GroupRecord | None, name: str) -> GroupRecord | None:
    prefix = parent.path if parent else "/"
    parent_id = parent.group_id if parent else None
    groups = store().estate.subtree(org_id, prefix)
    return next((g for g in groups if g.name == name and g.parent_id == parent_id), None)


def find_group_path(org_id: str, names: list[str]) -> GroupRecord | None:
    """The last group of a name path, or None when any group on it is missing (nothing is created)."""
    group: GroupRecord | None = None
    for name in names:
        group = _child(org_id, group, name)
        if group is None:
            return None
    return group


def ensure_group_path(org_id: str, names: list[str]) -> GroupRecord:
    """Find or create each group of a name path ("ACME Shopping Malls/ACME Pine Mall")."""
    parent: GroupRecord | None = None
    for name in names:
        found = _child(org_id, parent, name)
        if found is None:
            found = store().estate.provision_group(org_id, new_id(), name, parent)
        parent = found
    if parent is None:
        raise ProvisioningError("Adding a new group failed. Parent group is required.")
    return parent


def create_station(
    org_id: str,
    station_id: str,
    name: str | None = None,
    group: GroupRecord | None = None,
    password: str | None = None,
    exist_ok: bool = False,
    now: datetime | None = None,
) -> StationRecord:
    """A station for the seed and the CLI (the API goes through domain.stations with its domain checks)."""
    problem = identifier_problem(station_id)
    if problem:
        raise ProvisioningError(problem)
    now = now or clock.now()
    estate = store().estate
    new = NewStation(org_id, station_id, name or station_id, group, created_at=now, password_hash=hash_password(password) if password else None)
    try:
        station = estate.create_station(new, guarded=False)
    except AlreadyExists as exc:
        if exist_ok:
            return estate.get_station(org_id, station_id)
        raise ProvisioningError("Charging station already exists for that identifier.") from exc
    estate.claim_identifier(org_id, station_id)
    aggregates.station_added(org_id, station_id, group.group_id if group else None, now)
    return station


def ensure_user_group(org_id: str, name: str, home_group_id: str | None = None) -> UserGroupRecord:
    estate = store().estate
    found = estate.user_group_named(org_id, name)
    if found is not None:
        return found
    return estate.create_user_group(UserGroupRecord(org_id, new_id(), name, home_group_id))


def ensure_charging_user(
    org_id: str,
    first_name: str,
    last_name: str,
    email: str,
    user_group: UserGroupRecord | None = None,
    access_groups: list[GroupRecord] = (),
    tokens: list[dict] = (),
    home_group_id: str | None = None,
) -> ChargingUserRecord:
    """Find or create a charging user (its user group's member count kept) and add the missing tokens."""
    from chalicelib.domain.tokens import canonical

    estate = store().estate
    user_id = email.lower()
    user = estate.get_charging_user(org_id, user_id)
    if user is None:
        user = ChargingUserRecord(
            org_id,
            user_id,
            first_name,
            last_name,
            email,
            user_group.user_group_id if user_group else None,
            [g.group_id for g in access_groups],
            home_group_id,
        )
        estate.create_charging_user(user)
    for token in tokens:
        token_id = canonical(token["id"])
        if estate.token_owner(org_id, token_id) == user_id:
            continue
        try:
            estate.add_token(user, token_id, token.get("name"), token.get("valid_from"))
        except ConditionFailed:
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
) -> NewOperator:
    if role not in ("admin", "basic"):
        raise ProvisioningError("role must be admin or basic")
    operator = NewOperator(username, org_id, email, first_name, last_name, role, base_group_id, hash_password(password))
    try:
        store().estate.create_operator(operator)
    except AlreadyExists as exc:
        raise ProvisioningError("Username already exists.") from exc
    return operator
