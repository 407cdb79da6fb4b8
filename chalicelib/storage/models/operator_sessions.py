"""The operator-sessions table: log-in sessions."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


@register
class OperatorSessionItem(Model):
    """A login session, keyed by the SHA-256 of its bearer token (the token itself is never stored)."""

    class Meta(BaseMeta):
        table_suffix = "operator-sessions"

    token_hash = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    org_id = UnicodeAttribute()
    role_at_login = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
