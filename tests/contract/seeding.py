"""Put the data a contract test starts from into either store (the ports only read or change it)."""

from __future__ import annotations

from chalicelib.ports.stations import Organization, Station, Token, TokenHolder


def station(store, value: Station) -> None:
    if store.kind == "memory":
        store.stations.add(value)
        return
    from chalicelib.storage.models import StationItem

    StationItem(
        value.org_id, value.station_id, name=value.station_id, registration=value.registration,
        password_hash=value.password_hash, group_id=value.group_id, group_path=value.group_path,
        point_count=value.point_count, connected=value.connected, points=list(value.points),
    ).save()


def organization(store, value: Organization) -> None:
    if store.kind == "memory":
        store.stations.add_organization(value)
        return
    from chalicelib.storage.models import OrganizationItem

    OrganizationItem(value.org_id, name=value.org_id, timezone=value.timezone, auto_register=value.auto_register).save()


def token(store, org_id: str, value: Token, holder: TokenHolder, user_group_active: bool | None = None) -> None:
    if store.kind == "memory":
        store.stations.add_token(org_id, value)
        store.stations.add_holder(org_id, holder)
        if user_group_active is not None:
            store.stations.add_user_group(org_id, holder.user_group_id, user_group_active)
        return
    from chalicelib.storage.models import ChargingUserItem, TokenItem, UserGroupItem

    TokenItem(org_id, value.token_id, user_id=value.user_id, status=value.status,
              valid_from=value.valid_from, valid_to=value.valid_to).save()
    ChargingUserItem(
        org_id, holder.user_id, first_name="A", last_name="B", email="a@example.com", active=holder.active,
        user_group_id=holder.user_group_id, access_station_ids=list(holder.access_station_ids),
        access_group_ids=list(holder.access_group_ids),
    ).save()
    if user_group_active is not None:
        UserGroupItem(org_id, holder.user_group_id, name="G", active=user_group_active).save()


def group(store, org_id: str, value) -> None:
    """A charging group (ports.aggregates.GroupNode)."""
    if store.kind == "memory":
        store.aggregates.add_group(org_id, value)
        return
    from chalicelib.storage.models import ChargingGroupItem

    ChargingGroupItem(org_id, value.group_id, name=value.name, path=value.path).save()


def operator(store, username: str) -> None:
    if store.kind == "memory":
        return  # the in-memory aggregates port keeps preferences by user name alone
    from chalicelib.storage.models import OperatorItem

    OperatorItem(username, org_id="ACME", email=f"{username}@example.com", first_name="A", last_name="B", role="admin",
                 base_group_id="g1").save()
