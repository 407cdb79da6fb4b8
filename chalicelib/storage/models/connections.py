"""The connections table: live WebSocket connection id -> station."""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, IncludeProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


# --- live connections -----------------------------------------------------------------------------
class SilenceCheckIndex(GlobalSecondaryIndex):
    """Connections by the time of their next silence check (ADR 0022): the minute job Queries `check_at <= now`.

    One constant hash key (`watch`), as the commands' `due` index: one GSI partition takes ~1,000 writes/s
    (connects and moved checks); shard the key if a fleet ever needs more."""

    class Meta:
        index_name = "silence-check"
        projection = IncludeProjection(["org_id", "station_id", "registration"])

    watch = UnicodeAttribute(hash_key=True)
    check_at = UnicodeAttribute(range_key=True)


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
    # The next silence check (sortable UTC text) and the index's constant key; absent on items written
    # before ADR 0022 (such a connection is closed by API Gateway within 2 h anyway).
    watch = UnicodeAttribute(null=True)
    check_at = UnicodeAttribute(null=True)
    by_check = SilenceCheckIndex()
