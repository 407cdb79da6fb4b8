"""The charging-users table: people who charge, with their user-group membership index."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- charging users, tokens, user groups ---------------------------------------------------------
class UserGroupMemberIndex(GlobalSecondaryIndex):
    """Sparse: members of a user group (`user_group_id` equality on the range key); users without one are absent."""

    class Meta:
        index_name = "by-user-group"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    user_group_id = UnicodeAttribute(range_key=True)


@register
class ChargingUserItem(Model):
    class Meta(BaseMeta):
        table_suffix = "charging-users"

    org_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    email = UnicodeAttribute()
    user_group_id = UnicodeAttribute(null=True)
    active = BooleanAttribute(default=True)
    access_group_ids = ListAttribute(of=UnicodeAttribute, default=list)
    access_station_ids = ListAttribute(of=UnicodeAttribute, default=list)
    # Base group of the operator who created the user: operators whose domain holds it see the user.
    home_group_id = UnicodeAttribute(null=True)
    search = UnicodeAttribute(null=True)
    token_count = NumberAttribute(default=0)
    version = VersionAttribute()
    by_user_group = UserGroupMemberIndex()
