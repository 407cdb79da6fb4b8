"""The user-groups table: groups of charging users."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


@register
class UserGroupItem(Model):
    class Meta(BaseMeta):
        table_suffix = "user-groups"

    org_id = UnicodeAttribute(hash_key=True)
    user_group_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    home_group_id = UnicodeAttribute(null=True)
    search = UnicodeAttribute(null=True)
    member_count = NumberAttribute(default=0)
    version = VersionAttribute()
