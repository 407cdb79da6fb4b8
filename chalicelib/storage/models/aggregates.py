"""The aggregates table: live status counters and roll-ups kept as things happen (ADR 0003)."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


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
class StuckItem(Model):
    """What was done about one silent session (ADR 0017); pk = <org>#STUCK, sk = <station id>#<transaction id, 12 digits>.

    `steps` is a JSON list appended to; one partition per organization lists the domain's stuck sessions.
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    transaction_id = NumberAttribute()
    station_id = UnicodeAttribute()
    connector_id = NumberAttribute()
    group_path = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()
    steps = ListAttribute(of=UnicodeAttribute, default=list)  # each a JSON object


@register
class LoadSettingItem(Model):
    """Load management (ADR 0017); pk = <org>#LOAD, sk = G#<group id> (a limit) or X#<station id> (excluded)."""

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    limit_a = NumberAttribute(null=True)
    phases = NumberAttribute(null=True)
    min_a = NumberAttribute(null=True)
