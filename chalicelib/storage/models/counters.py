"""The counters table: atomic counters, identifier claims, group-move locks and report jobs."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


@register
class CounterItem(Model):
    """Atomic counters (transaction ids)."""

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)


@register
class IdentifierClaimItem(Model):
    """Which organization owns a station identifier's short URL `/ocpp/<id>`; name = `station-id#<id>`.

    The first organization to create the identifier claims it; others reach theirs through
    `/ocpp/<org>/<id>` (docs/adr/0011-identifier-claims.md). Lives in the counters table.
    """

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()


@register
class EvseCodeClaimItem(Model):
    """Which station of an organization holds an EVSE code; name = `evse-code#<org>#<CODE>` (upper-cased).

    Written in the same transaction as the station's code, so two stations never hold one code.
    """

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    station_id = UnicodeAttribute()


@register
class GroupMoveItem(Model):
    """Lock and journal of a charging group move too big for one transaction (one per organization).

    Lives in the counters table under `group-move#<org>`; every structural write of the group tree
    checks that it is absent (see docs/adr/0004-group-moves.md).
    """

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    group_id = UnicodeAttribute()
    parent_id = UnicodeAttribute()
    old_path = UnicodeAttribute()
    new_path = UnicodeAttribute()
    owner = UnicodeAttribute()
    lease_until = UTCDateTimeAttribute()


# --- report jobs (docs/adr/0018-reports.md) --------------------------------------------------------
# name = `report#<org>#<report id>` (the job: state, progress, resume checkpoint, multipart parts) and
# `report-running#<org>#<selection key>` (which job generates that selection now).
class ReportMeta(BaseMeta):
    table_suffix = "counters"


@register
class ReportJobItem(Model):
    """A report job; `body` is the job as JSON (selection, progress, parts), `state` kept apart for conditions."""

    class Meta(ReportMeta):
        pass

    name = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute()
    body = UnicodeAttribute()
    expires = TTLAttribute(null=True)


@register
class ReportLockItem(Model):
    """The job generating one selection of one organization right now."""

    class Meta(ReportMeta):
        pass

    name = UnicodeAttribute(hash_key=True)
    report_id = UnicodeAttribute()
    expires = TTLAttribute(null=True)
