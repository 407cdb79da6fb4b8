"""The organizations table: one item per tenant."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- organizations -------------------------------------------------------------------------------
@register
class OrganizationItem(Model):
    class Meta(BaseMeta):
        table_suffix = "organizations"

    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    timezone = UnicodeAttribute(default="UTC")
    auto_register = BooleanAttribute(default=False)
    version = VersionAttribute()
