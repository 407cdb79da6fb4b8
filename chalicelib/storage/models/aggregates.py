"""The aggregates table: live status counters and roll-ups kept as things happen (ADR 0003)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, MapAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model
from chalicelib.storage.models.station_records import StationRecordMeta


# --- aggregates kept as things happen (dashboard and statistics; docs/adr/0003-aggregates.md) ------
class AggregateMeta(BaseMeta):
    table_suffix = "aggregates"


@register
class GroupLiveItem(Model):
    """Live status counters of the stations directly in one group; pk = <org>#LIVE, sk = <group id> or "-" (orphans).

    Only ever changed in the same transaction as a StationLiveItem, by that station's contribution delta.
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    stations = NumberAttribute(default=0)
    points = NumberAttribute(default=0)
    issues = NumberAttribute(default=0)
    available = NumberAttribute(default=0)
    preparing = NumberAttribute(default=0)
    charging = NumberAttribute(default=0)
    suspended_evse = NumberAttribute(default=0)
    suspended_ev = NumberAttribute(default=0)
    finishing = NumberAttribute(default=0)
    reserved = NumberAttribute(default=0)
    unavailable = NumberAttribute(default=0)
    faulted = NumberAttribute(default=0)
    unknown = NumberAttribute(default=0)
    offline = NumberAttribute(default=0)


@register
class StationLiveItem(Model):
    """What one station contributes to its group's live counters; in the station's partition, sk = LIVE."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    group_id = UnicodeAttribute(null=True)
    point_count = NumberAttribute(default=1)
    connected = BooleanAttribute(default=False)
    # connector id (text) -> status, with "!" appended when the error code is not NoError.
    statuses = MapAttribute(default=dict)
    rev = NumberAttribute(default=0)


@register
class RollupDayItem(Model):
    """Sessions that started on one local day, per group subtree; pk = <org>#G#<group> or <org>#ORPHANS, sk = D#YYYY-MM-DD.

    The station's own group's item also holds per-station attributes `n:<station id>` and `wh:<station id>`.
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)


@register
class RollupHourItem(Model):
    """Sessions that started in one UTC hour, per group subtree; sk = H#YYYY-MM-DDTHH.

    `used`: how many points had their latest session start in that hour (a histogram: the sum over the
    last 24 hours is the number of distinct points used in them).
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)
    used = NumberAttribute(default=0)
    expires = TTLAttribute(null=True)


@register
class StationHourItem(Model):
    """Sessions of one station that started in one UTC hour (its last-24-hours cards); sk = HOUR#YYYY-MM-DDTHH."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)
    used = NumberAttribute(default=0)
    expires = TTLAttribute(null=True)


@register
class StationUseItem(Model):
    """When each charging point's latest session started and the station's group path then; sk = USE.

    uses: connector id (text) -> "YYYY-MM-DDTHH|<group path>" (UTC hour; empty path = orphan).
    """

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    uses = MapAttribute(default=dict)
    rev = NumberAttribute(default=0)
