"""The groups table: charging groups with their materialized path."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- charging groups (materialized path of group ids: "/g1/g2/") -----------------------------------
class GroupPathIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-path"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    path = UnicodeAttribute(range_key=True)


@register
class ChargingGroupItem(Model):
    class Meta(BaseMeta):
        table_suffix = "groups"

    org_id = UnicodeAttribute(hash_key=True)
    group_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    parent_id = UnicodeAttribute(null=True)
    path = UnicodeAttribute()
    # Lower-cased text the list's search matches (a FilterExpression `contains`).
    search = UnicodeAttribute(null=True)
    version = VersionAttribute()
    by_path = GroupPathIndex()
