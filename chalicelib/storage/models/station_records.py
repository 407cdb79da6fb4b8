"""The station-records table: one partition per station (statuses, events, samples, its live and hourly aggregates)."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- per-station records (one partition per station) ---------------------------------------------
class StationRecordMeta(BaseMeta):
    table_suffix = "station-records"


@register
class ConnectorStatusItem(Model):
    """Current status of a connector (0 = the station itself); sk = CP#0001."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connector_id = NumberAttribute()
    status = UnicodeAttribute()
    error_code = UnicodeAttribute()
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    timestamp = UTCDateTimeAttribute()


@register
class EventItem(Model):
    """One entry of a station's event feed; sk = EV#<UTC timestamp>#<message id>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    connector_id = NumberAttribute(default=0)
    status = UnicodeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    timestamp = UTCDateTimeAttribute()


@register
class SampleItem(Model):
    """Raw meter values of one MeterValues entry; sk = MV#<transaction>#<timestamp>#<connector>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connector_id = NumberAttribute()
    transaction_id = NumberAttribute(null=True)
    timestamp = UTCDateTimeAttribute()
    energy_wh = NumberAttribute(null=True)
    power_w = NumberAttribute(null=True)
    soc = NumberAttribute(null=True)
    sampled = ListAttribute(of=MapAttribute, default=list)
    # Set when the register reading was not counted because it cannot be right (the energy rule).
    implausible = BooleanAttribute(null=True)
    expires = TTLAttribute()


@register
class StartKeyItem(Model):
    """Idempotency key of a StartTransaction: sk = TS#<connector>#<timestamp>#<idTag>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    transaction_id = NumberAttribute()
    id_tag_status = UnicodeAttribute()


@register
class ParkedStopItem(Model):
    """A StopTransaction for a transaction we do not know, kept for reconciliation; sk = PS#<id>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    transaction_id = NumberAttribute()
    payload = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()


@register
class StationDayItem(Model):
    """Per-station per-day aggregates, updated as sessions end; sk = DAY#YYYY-MM-DD (organization's local date)."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)


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


@register
class DeferredLimitItem(Model):
    """A station-wide current limit a scheduled task set while the station was offline; pk = <org>#<station>,
    sk = MAXCURRENT. Its boot takes it by removing `amperes` (the item stays, empty): UpdateItem only."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    amperes = NumberAttribute(null=True)
    since = UTCDateTimeAttribute(null=True)
    task_id = UnicodeAttribute(null=True)


# --- configuration keys and templates (ADR 0014) ----------------------------------------------------
@register
class ConfigKeyItem(Model):
    """One OCPP configuration key of a station; sk = CFG#<key>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    key = UnicodeAttribute()
    value = UnicodeAttribute(null=True)
    readonly = BooleanAttribute(default=False)
    reported = BooleanAttribute(default=False)
    recommended = UnicodeAttribute(null=True)
    desired = UnicodeAttribute(null=True)
    by_user = BooleanAttribute(default=False)
    status = UnicodeAttribute(null=True)
    status_at = UTCDateTimeAttribute(null=True)


@register
class StationConfigItem(Model):
    """A station's configuration as a whole: latest refresh, unknown keys, the template applied and the
    commands of that application still unanswered (a set, changed atomically per answer); sk = CONFIG."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    refreshed_at = UTCDateTimeAttribute(null=True)
    unknown_keys = ListAttribute(of=UnicodeAttribute, default=list)
    template_id = UnicodeAttribute(null=True)
    applied_at = UTCDateTimeAttribute(null=True)
    applying = UnicodeSetAttribute(null=True)
    failed = UnicodeSetAttribute(null=True)


@register
class ConfigTemplateItem(Model):
    """A configuration template of one charger model; pk = <org>#*CONFIG (no station id has a '*'),
    sk = TPL#<template id> (a hash of vendor and model)."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    vendor = UnicodeAttribute()
    model = UnicodeAttribute()
    keys = MapAttribute(default=dict)
    version = NumberAttribute(default=1)
    updated_at = UTCDateTimeAttribute(null=True)
    current_limit_key = UnicodeAttribute(null=True)


@register
class ConfigDriftItem(Model):
    """A station whose active configuration differs from the desired one; pk = <org>#*CONFIG,
    sk = DRIFT#<station id>. Absent when the station does not drift."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    station_id = UnicodeAttribute()
    keys = NumberAttribute()
    since = UTCDateTimeAttribute()
