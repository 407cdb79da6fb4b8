"""The in-memory store's shared collections: one per kind of data, whichever ports read or change it.

On DynamoDB several ports read the same table (the estate, stations and connections ports all read
the station item); here they read the same dict, so a test that creates a station through the estate
and connects it through the stations port sees one world. A port keeps its own collection only for
data no other port holds (throttle counters, mail, the move journal...).
"""

from __future__ import annotations

from dataclasses import asdict

from chalicelib.ports.estate import GroupRecord, StationRecord

STATIONS = "stations"  # (org, station) -> dict: StationRecord's fields, password_hash, connection_id
ORGANIZATIONS = "organizations"  # org -> ports.organizations.Organization
CLAIMS = "claims"  # station id -> org holding the identifier's short URL
GROUPS = "groups"  # (org, group) -> ports.estate.GroupRecord
OPERATORS = "operators"  # username -> ports.operators.Operator
CHARGING_USERS = "charging_users"  # (org, user) -> ports.users.ChargingUser
TOKENS = "tokens"  # (org, token) -> ports.users.RfidToken
USER_GROUPS = "user_groups"  # (org, user group) -> ports.users.UserGroup
STATUSES = "connector_statuses"  # (org, station) -> {connector id: ports.records.ConnectorStatus}

_STATION_DEFAULTS = {**asdict(StationRecord("", "", "")), "password_hash": None}


def station_fields(org_id: str, station_id: str, **fields) -> dict:
    """A whole station record: every attribute any port reads, defaults where `fields` says nothing."""
    record = {**_STATION_DEFAULTS, "org_id": org_id, "station_id": station_id, "name": station_id}
    record.update(fields)
    return record


def seed_group(state, org_id: str, group_id: str, name: str, path: str) -> GroupRecord:
    """A charging group put straight into the tree (tests set up groups through any port that reads them)."""
    ids = path.strip("/").split("/")
    parent_id = ids[-2] if len(ids) > 1 else None
    group = GroupRecord(org_id, group_id, name, parent_id, path, 1)
    state.collection(GROUPS)[(org_id, group_id)] = group
    return group
