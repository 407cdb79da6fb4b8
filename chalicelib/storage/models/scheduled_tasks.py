"""The scheduled-tasks table: operators' tasks, their occurrence claims and run history (docs/adr/0020)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


class TaskMeta(BaseMeta):
    table_suffix = "scheduled-tasks"


class TaskDueIndex(GlobalSecondaryIndex):
    """Sparse: only an active task with a next run (or a retry) carries `due_shard` (one of a few fixed shards,
    spreading the minute job's partitions) and `due_at`; the minute job queries every shard up to now."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_shard = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


@register
class TaskItem(Model):
    """pk = organization, sk = T#<task id>; body = what the operator sets, as JSON; the rest are attributes."""

    class Meta(TaskMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    body = UnicodeAttribute()
    rev = NumberAttribute()
    # The runner's fields, apart from the operator's body: advance/retry and run summaries change them alone.
    next_run_at = UnicodeAttribute(null=True)
    retry_at = UnicodeAttribute(null=True)
    attempts = NumberAttribute(default=0)
    last_run = UnicodeAttribute(null=True)
    last_run_id = UnicodeAttribute(null=True)
    due_shard = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    by_due = TaskDueIndex()


@register
class TaskRunItem(Model):
    """pk = <org>#<task id>, sk = R#<run id> (sorts by start); body = the run as JSON; kept 180 days."""

    class Meta(TaskMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    body = UnicodeAttribute()
    expires = TTLAttribute(null=True)


@register
class TaskClaimItem(Model):
    """pk = <org>#<task id>, sk = C#<occurrence>#<attempt>: put if absent, so one tick runs an occurrence."""

    class Meta(TaskMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    claimed_at = UnicodeAttribute()
    expires = TTLAttribute(null=True)
