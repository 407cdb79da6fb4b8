"""The auth-throttle table: failed log-in attempts and known devices (ADR 0009)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- guessing throttle (ADR 0009): failed-attempt counters and trusted log-in devices ---------------
@register
class AttemptItem(Model):
    """Attempts of one key in its current window, e.g. pk = LOGIN#ip#<address>#u#<username>.

    An attempt is reserved (conditional ADD) before the password is checked, so parallel requests
    cannot check more guesses than the limit; a success clears or refunds it.
    """

    class Meta(BaseMeta):
        table_suffix = "auth-throttle"

    pk = UnicodeAttribute(hash_key=True)
    attempts = NumberAttribute(default=0)
    window_end = NumberAttribute(null=True)  # epoch seconds
    expires = TTLAttribute(null=True)


@register
class DeviceItem(Model):
    """A browser an operator logged in from: pk = DEVICE#<SHA-256 of its device token>."""

    class Meta(BaseMeta):
        table_suffix = "auth-throttle"

    pk = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    expires_at = UTCDateTimeAttribute()
    expires = TTLAttribute()
