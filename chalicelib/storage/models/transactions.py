"""The transactions table: charging sessions."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- transactions ---------------------------------------------------------------------------------
class StationTransactionsIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-station"
        projection = AllProjection()

    station_pk = UnicodeAttribute(hash_key=True)
    started_at = UTCDateTimeAttribute(range_key=True)


class ActiveTransactionsIndex(GlobalSecondaryIndex):
    """Sparse: only Active sessions carry its keys (set at start, removed at close). It projects only
    attributes that never change, so the MeterValues updates of a session never write to it (ADR 0017)."""

    class Meta:
        index_name = "active"
        projection = IncludeProjection(["org_id", "station_id", "connector_id"])

    active_shard = UnicodeAttribute(hash_key=True)  # "A<n>", n = transaction id % ACTIVE_SHARDS
    active_key = UnicodeAttribute(range_key=True)  # "<org id>#<started at, sortable>"


# The report columns: a session's meter-value updates (last_register_wh, power_w, soc...) are not
# projected, so they cost no index write; only a start and a close do (docs/adr/0018-reports.md).
REPORT_ATTRIBUTES = ("station_id", "connector_id", "id_tag", "user_id", "state", "stopped_at", "energy_wh")


class OrgTimeIndex(GlobalSecondaryIndex):
    """Sessions of an organization by start time: the reports' Query (never a Scan)."""

    class Meta:
        index_name = "by-org-time"
        projection = IncludeProjection(list(REPORT_ATTRIBUTES))

    org_id = UnicodeAttribute(hash_key=True)
    started_at = UTCDateTimeAttribute(range_key=True)


@register
class TransactionItem(Model):
    class Meta(BaseMeta):
        table_suffix = "transactions"

    transaction_id = NumberAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    station_id = UnicodeAttribute()
    station_pk = UnicodeAttribute()
    connector_id = NumberAttribute()
    id_tag = UnicodeAttribute()
    user_id = UnicodeAttribute(null=True)
    id_tag_status = UnicodeAttribute()
    started_at = UTCDateTimeAttribute()
    meter_start_wh = NumberAttribute()
    last_register_wh = NumberAttribute()
    last_sample_at = UTCDateTimeAttribute()
    energy_wh = NumberAttribute(default=0)
    power_w = NumberAttribute(null=True)
    soc = NumberAttribute(null=True)
    state = UnicodeAttribute(default="Active")
    stopped_at = UTCDateTimeAttribute(null=True)
    meter_stop_wh = NumberAttribute(null=True)
    stop_reason = UnicodeAttribute(null=True)
    stop_id_tag = UnicodeAttribute(null=True)
    # The energy rule (docs/adr/0008-energy-rule.md): the connector's power, the plausibility base, and
    # what was found odd about the session (implausible or unreadable samples, a clock out of range...).
    max_power_w = NumberAttribute(null=True)
    energy_base = NumberAttribute(null=True)
    flags = UnicodeSetAttribute(null=True)
    # Stuck sessions (ADR 0017): the active-sessions index keys, and when the stuck job last probed it.
    active_shard = UnicodeAttribute(null=True)
    active_key = UnicodeAttribute(null=True)
    probed_at = UTCDateTimeAttribute(null=True)
    by_station = StationTransactionsIndex()
    active = ActiveTransactionsIndex()
    by_org_time = OrgTimeIndex()
