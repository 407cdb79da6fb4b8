"""The operator-tokens table: single-use invitation and password-reset links."""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


@register
class OperatorTokenItem(Model):
    """A single-use e-mailed link (invitation or password reset), keyed by the SHA-256 of its token."""

    class Meta(BaseMeta):
        table_suffix = "operator-tokens"

    token_hash = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute()
    username = UnicodeAttribute()
    # The link works only while the operator still has this e-mail address.
    email_key = UnicodeAttribute(null=True)
    issued_at = UTCDateTimeAttribute(null=True)
    expires_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
