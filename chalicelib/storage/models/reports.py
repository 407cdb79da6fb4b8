"""Report jobs, kept in the counters table: one item per job and one per selection being generated.

name = `report#<org>#<report id>` (the job: state, progress, resume cursor, multipart parts) and
`report-running#<org>#<selection key>` (which job generates that selection now; docs/adr/0018-reports.md).
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


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
