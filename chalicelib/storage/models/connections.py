"""The connections table: live WebSocket connection id -> station."""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- live connections -----------------------------------------------------------------------------
@register
class ConnectionItem(Model):
    """connection id -> station, read on every $default frame (one GetItem)."""

    class Meta(BaseMeta):
        table_suffix = "connections"

    connection_id = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    station_id = UnicodeAttribute()
    connected_at = UTCDateTimeAttribute()
    # Connector id (text) -> maximum power in W, of the connectors whose sockets operators configured
    # (the energy rule's plausibility; read with the connection, so a frame needs no station read).
    powers = MapAttribute(null=True)
    # The station's registration when not Accepted (absent = Accepted): frames of a Pending or Rejected
    # station are refused without a station read (protocol/registration.py).
    registration = UnicodeAttribute(null=True)
    # API Gateway closes every connection after 2 h; the item outlives it a little.
    expires = TTLAttribute()
