"""The stations table: charging stations and the indexes that find them."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- charging stations --------------------------------------------------------------------------
class StationIdIndex(GlobalSecondaryIndex):
    """Resolves a bare station identifier to its organization(s) at $connect."""

    class Meta:
        index_name = "by-station-id"
        projection = KeysOnlyProjection()

    station_id = UnicodeAttribute(hash_key=True)


class StationGroupPathIndex(GlobalSecondaryIndex):
    """Stations of a subtree: `group_path begins_with <base path>` (orphans have no path: not here)."""

    class Meta:
        index_name = "by-group-path"
        projection = IncludeProjection(["name", "group_id", "point_count", "firmware_version", "search"])

    org_id = UnicodeAttribute(hash_key=True)
    group_path = UnicodeAttribute(range_key=True)


class OrphanIndex(GlobalSecondaryIndex):
    """Sparse: only orphan stations carry `orphan_org`."""

    class Meta:
        index_name = "orphans"
        projection = IncludeProjection(["name", "group_id", "point_count", "firmware_version", "search"])

    orphan_org = UnicodeAttribute(hash_key=True)
    station_id = UnicodeAttribute(range_key=True)


@register
class StationItem(Model):
    class Meta(BaseMeta):
        table_suffix = "stations"

    org_id = UnicodeAttribute(hash_key=True)
    station_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    group_id = UnicodeAttribute(null=True)
    group_path = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    # The password being replaced, still accepted until the station logs in with the new one
    # ("" = it connected without one); see domain/station_credentials.py.
    previous_password_hash = UnicodeAttribute(null=True)
    registration = UnicodeAttribute(default="Accepted")
    vendor = UnicodeAttribute(null=True)
    model = UnicodeAttribute(null=True)
    serial_number = UnicodeAttribute(null=True)
    box_serial_number = UnicodeAttribute(null=True)
    firmware_version = UnicodeAttribute(null=True)
    iccid = UnicodeAttribute(null=True)
    imsi = UnicodeAttribute(null=True)
    meter_type = UnicodeAttribute(null=True)
    meter_serial_number = UnicodeAttribute(null=True)
    last_boot_at = UTCDateTimeAttribute(null=True)
    connection_id = UnicodeAttribute(null=True)
    connected = BooleanAttribute(default=False)
    connected_at = UTCDateTimeAttribute(null=True)
    last_seen_at = UTCDateTimeAttribute(null=True)
    firmware_status = UnicodeAttribute(null=True)
    diagnostics_status = UnicodeAttribute(null=True)
    point_count = NumberAttribute(default=1)
    # Charging points as operators describe them: [{"point": 1, "sockets": [{"type", "max_kw"}]}].
    points = ListAttribute(of=MapAttribute, default=list)
    search = UnicodeAttribute(null=True)
    orphan_org = UnicodeAttribute(null=True)
    # Operators' metadata and switches (domain/station_settings.py); the EVSE code's uniqueness in
    # the organization is an EvseCodeClaimItem in the counters table.
    evse_code = UnicodeAttribute(null=True)
    evse_name = UnicodeAttribute(null=True)
    emi3_id = UnicodeAttribute(null=True)
    roaming = BooleanAttribute(default=False)
    maintenance = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute(null=True)
    # Optimistic lock for operator edits only: charger-driven updates never touch it
    # (a pynamodb VersionAttribute would be reset by every partial update).
    revision = NumberAttribute(default=0)
    by_station_id = StationIdIndex()
    by_group_path = StationGroupPathIndex()
    orphans = OrphanIndex()
