"""The firmware table: firmware files, stations' latest updates, campaigns and diagnostics uploads (docs/adr/0016)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


class OpenIndex(GlobalSecondaryIndex):
    """Sparse: only what the minute job must revisit (an update in progress, a running campaign)."""

    class Meta:
        index_name = "open"
        projection = AllProjection()

    open_kind = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


@register
class FirmwareItem(Model):
    """pk = organization; sk = FILE#<id>, UPDATE#<station>, CMP#<campaign>, CMS#<campaign>#<station>,
    DIAG#<station>#<requested at>#<id>; body = the record as JSON (ports/firmware.py)."""

    class Meta(BaseMeta):
        table_suffix = "firmware"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    body = UnicodeAttribute()
    rev = NumberAttribute()
    open_kind = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    open = OpenIndex()
