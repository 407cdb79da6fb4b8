"""The operators table: operator accounts and the indexes that find them."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- operators ------------------------------------------------------------------------------------
class OperatorOrgIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-org"
        projection = AllProjection()

    org_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class OperatorEmailIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-email"
        projection = KeysOnlyProjection()

    email_key = UnicodeAttribute(hash_key=True)


@register
class OperatorItem(Model):
    """Operator accounts; usernames are unique across the system (they log in with it alone)."""

    class Meta(BaseMeta):
        table_suffix = "operators"

    username = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    email = UnicodeAttribute()
    first_name = UnicodeAttribute()
    last_name = UnicodeAttribute()
    role = UnicodeAttribute()
    base_group_id = UnicodeAttribute()
    status = UnicodeAttribute(default="Active")
    password_hash = UnicodeAttribute(null=True)
    # Lower-cased e-mail (lost password looks it up) and search text of the operator list.
    email_key = UnicodeAttribute(null=True)
    search = UnicodeAttribute(null=True)
    activated = BooleanAttribute(default=True)
    invited_at = UTCDateTimeAttribute(null=True)
    # `failed_logins` and `locked_until` of older items are ignored: guessing is throttled in auth-throttle.
    dashboard_group_ids = ListAttribute(of=UnicodeAttribute, null=True)
    # E-mailed links issued before the password last changed are dead; sessions opened before
    # `sessions_valid_from` (a reset through a link) are ended; `reset_sent_at` throttles lost-password mails.
    password_changed_at = UTCDateTimeAttribute(null=True)
    sessions_valid_from = UTCDateTimeAttribute(null=True)
    reset_sent_at = UTCDateTimeAttribute(null=True)
    version = VersionAttribute()
    by_org = OperatorOrgIndex()
    by_email = OperatorEmailIndex()
