"""The commands table: every call the CSMS sends a charger, one partition per station (ADR 0013)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


class CommandMeta(BaseMeta):
    table_suffix = "commands"


class DueIndex(GlobalSecondaryIndex):
    """Sparse: only a Pending call carries `due` (one constant shard) and `due_at`; the minute job queries it."""

    class Meta:
        index_name = "due"
        projection = IncludeProjection(["org_id", "station_id", "action"])

    due = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


@register
class CommandItem(Model):
    """One call; pk = <org>#<station>, sk = C#<command id> (ids begin with their creation time: newest sorts last)."""

    class Meta(CommandMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    org_id = UnicodeAttribute()
    station_id = UnicodeAttribute()
    command_id = UnicodeAttribute()
    action = UnicodeAttribute()
    payload = JSONAttribute()  # the CALL payload
    state = UnicodeAttribute()
    response = JSONAttribute(null=True)  # the CALLRESULT payload
    error = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    deadline_at = UTCDateTimeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)
    timeout_s = NumberAttribute(default=60)
    due = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    expires = TTLAttribute(null=True)
    by_due = DueIndex()


@register
class QueuedCommandItem(Model):
    """Marks a Queued call in its station's partition (sk = Q#<command id>), so a boot finds it with one Query."""

    class Meta(CommandMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    command_id = UnicodeAttribute()
