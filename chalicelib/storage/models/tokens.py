"""The tokens table: RFID tokens of charging users."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


class TokenUserIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-user"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute(range_key=True)


@register
class TokenItem(Model):
    class Meta(BaseMeta):
        table_suffix = "tokens"

    org_id = UnicodeAttribute(hash_key=True)
    token_id = UnicodeAttribute(range_key=True)
    user_id = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    status = UnicodeAttribute(default="Active")
    valid_from = UTCDateTimeAttribute(null=True)
    valid_to = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()
    by_user = TokenUserIndex()
