"""PynamoDB models: one class per item kind. Access patterns are listed in docs/data-model.md."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, IncludeProjection, KeysOnlyProjection

from chalicelib.storage.base import BaseMeta, register
from chalicelib.storage.base import SharedConnectionModel as Model


def station_key(org_id: str, station_id: str) -> str:
    """Partition key of everything that belongs to one station."""
    return f"{org_id}#{station_id}"


# --- organizations -------------------------------------------------------------------------------
@register
class OrganizationItem(Model):
    class Meta(BaseMeta):
        table_suffix = "organizations"

    org_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    timezone = UnicodeAttribute(default="UTC")
    auto_register = BooleanAttribute(default=False)
    version = VersionAttribute()


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


# --- charging stations --------------------------------------------------------------------------
class StationIdIndex(GlobalSecondaryIndex):
    """Resolves a bare station identifier to its organization(s) at $connect."""

    class Meta:
        index_name = "by-station-id"
        projection = KeysOnlyProjection()

    station_id = UnicodeAttribute(hash_key=True)


class StationGroupPathIndex(GlobalSecondaryIndex):
    """Stations of a subtree: `group_path begins_with <base path>` (orphans have no path: not here)."""

    class Meta:
        index_name = "by-group-path"
        projection = IncludeProjection(["name", "group_id", "point_count", "firmware_version", "search"])

    org_id = UnicodeAttribute(hash_key=True)
    group_path = UnicodeAttribute(range_key=True)


class OrphanIndex(GlobalSecondaryIndex):
    """Sparse: only orphan stations carry `orphan_org`."""

    class Meta:
        index_name = "orphans"
        projection = IncludeProjection(["name", "group_id", "point_count", "firmware_version", "search"])

    orphan_org = UnicodeAttribute(hash_key=True)
    station_id = UnicodeAttribute(range_key=True)


@register
class StationItem(Model):
    class Meta(BaseMeta):
        table_suffix = "stations"

    org_id = UnicodeAttribute(hash_key=True)
    station_id = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    group_id = UnicodeAttribute(null=True)
    group_path = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    registration = UnicodeAttribute(default="Accepted")
    vendor = UnicodeAttribute(null=True)
    model = UnicodeAttribute(null=True)
    serial_number = UnicodeAttribute(null=True)
    box_serial_number = UnicodeAttribute(null=True)
    firmware_version = UnicodeAttribute(null=True)
    iccid = UnicodeAttribute(null=True)
    imsi = UnicodeAttribute(null=True)
    meter_type = UnicodeAttribute(null=True)
    meter_serial_number = UnicodeAttribute(null=True)
    last_boot_at = UTCDateTimeAttribute(null=True)
    connection_id = UnicodeAttribute(null=True)
    connected = BooleanAttribute(default=False)
    connected_at = UTCDateTimeAttribute(null=True)
    last_seen_at = UTCDateTimeAttribute(null=True)
    firmware_status = UnicodeAttribute(null=True)
    diagnostics_status = UnicodeAttribute(null=True)
    point_count = NumberAttribute(default=1)
    # Charging points as operators describe them: [{"point": 1, "sockets": [{"type", "max_kw"}]}].
    points = ListAttribute(of=MapAttribute, default=list)
    search = UnicodeAttribute(null=True)
    orphan_org = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    # Optimistic lock for operator edits only: charger-driven updates never touch it
    # (a pynamodb VersionAttribute would be reset by every partial update).
    revision = NumberAttribute(default=0)
    by_station_id = StationIdIndex()
    by_group_path = StationGroupPathIndex()
    orphans = OrphanIndex()


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
    # API Gateway closes every connection after 2 h; the item outlives it a little.
    expires = TTLAttribute()


# --- per-station records (one partition per station) ---------------------------------------------
class StationRecordMeta(BaseMeta):
    table_suffix = "station-records"


@register
class ConnectorStatusItem(Model):
    """Current status of a connector (0 = the station itself); sk = CP#0001."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connector_id = NumberAttribute()
    status = UnicodeAttribute()
    error_code = UnicodeAttribute()
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    timestamp = UTCDateTimeAttribute()


@register
class EventItem(Model):
    """One entry of a station's event feed; sk = EV#<UTC timestamp>#<message id>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    connector_id = NumberAttribute(default=0)
    status = UnicodeAttribute(null=True)
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    timestamp = UTCDateTimeAttribute()


@register
class SampleItem(Model):
    """Raw meter values of one MeterValues entry; sk = MV#<transaction>#<timestamp>#<connector>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    connector_id = NumberAttribute()
    transaction_id = NumberAttribute(null=True)
    timestamp = UTCDateTimeAttribute()
    energy_wh = NumberAttribute(null=True)
    power_w = NumberAttribute(null=True)
    soc = NumberAttribute(null=True)
    sampled = ListAttribute(of=MapAttribute, default=list)
    # Set when the register reading was not counted because it cannot be right (the energy rule).
    implausible = BooleanAttribute(null=True)
    expires = TTLAttribute()


@register
class StartKeyItem(Model):
    """Idempotency key of a StartTransaction: sk = TS#<connector>#<timestamp>#<idTag>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    transaction_id = NumberAttribute()
    id_tag_status = UnicodeAttribute()


@register
class ParkedStopItem(Model):
    """A StopTransaction for a transaction we do not know, kept for reconciliation; sk = PS#<id>."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    transaction_id = NumberAttribute()
    payload = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()


# --- transactions ---------------------------------------------------------------------------------
class StationTransactionsIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-station"
        projection = AllProjection()

    station_pk = UnicodeAttribute(hash_key=True)
    started_at = UTCDateTimeAttribute(range_key=True)


@register
class TransactionItem(Model):
    class Meta(BaseMeta):
        table_suffix = "transactions"

    transaction_id = NumberAttribute(hash_key=True)
    org_id = UnicodeAttribute()
    station_id = UnicodeAttribute()
    station_pk = UnicodeAttribute()
    connector_id = NumberAttribute()
    id_tag = UnicodeAttribute()
    user_id = UnicodeAttribute(null=True)
    id_tag_status = UnicodeAttribute()
    started_at = UTCDateTimeAttribute()
    meter_start_wh = NumberAttribute()
    last_register_wh = NumberAttribute()
    last_sample_at = UTCDateTimeAttribute()
    energy_wh = NumberAttribute(default=0)
    power_w = NumberAttribute(null=True)
    soc = NumberAttribute(null=True)
    state = UnicodeAttribute(default="Active")
    stopped_at = UTCDateTimeAttribute(null=True)
    meter_stop_wh = NumberAttribute(null=True)
    stop_reason = UnicodeAttribute(null=True)
    stop_id_tag = UnicodeAttribute(null=True)
    # The energy rule (docs/adr/0008-energy-rule.md): the connector's power, the plausibility base, and
    # what was found odd about the session (implausible or unreadable samples, a clock out of range...).
    max_power_w = NumberAttribute(null=True)
    energy_base = NumberAttribute(null=True)
    flags = UnicodeSetAttribute(null=True)
    by_station = StationTransactionsIndex()


@register
class CounterItem(Model):
    """Atomic counters (transaction ids)."""

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)


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


@register
class StationDayItem(Model):
    """Per-station per-day aggregates, updated as sessions end; sk = DAY#YYYY-MM-DD (organization's local date)."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)


@register
class IdentifierClaimItem(Model):
    """Which organization owns a station identifier's short URL `/ocpp/<id>`; name = `station-id#<id>`.

    The first organization to create the identifier claims it; others reach theirs through
    `/ocpp/<org>/<id>` (docs/adr/0011-identifier-claims.md). Lives in the counters table.
    """

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    org_id = UnicodeAttribute()


@register
class GroupMoveItem(Model):
    """Lock and journal of a charging group move too big for one transaction (one per organization).

    Lives in the counters table under `group-move#<org>`; every structural write of the group tree
    checks that it is absent (see docs/adr/0004-group-moves.md).
    """

    class Meta(BaseMeta):
        table_suffix = "counters"

    name = UnicodeAttribute(hash_key=True)
    group_id = UnicodeAttribute()
    parent_id = UnicodeAttribute()
    old_path = UnicodeAttribute()
    new_path = UnicodeAttribute()
    owner = UnicodeAttribute()
    lease_until = UTCDateTimeAttribute()


# --- aggregates kept as things happen (dashboard and statistics; docs/adr/0003-aggregates.md) ------
class AggregateMeta(BaseMeta):
    table_suffix = "aggregates"


@register
class GroupLiveItem(Model):
    """Live status counters of the stations directly in one group; pk = <org>#LIVE, sk = <group id> or "-" (orphans).

    Only ever changed in the same transaction as a StationLiveItem, by that station's contribution delta.
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    stations = NumberAttribute(default=0)
    points = NumberAttribute(default=0)
    issues = NumberAttribute(default=0)
    available = NumberAttribute(default=0)
    preparing = NumberAttribute(default=0)
    charging = NumberAttribute(default=0)
    suspended_evse = NumberAttribute(default=0)
    suspended_ev = NumberAttribute(default=0)
    finishing = NumberAttribute(default=0)
    reserved = NumberAttribute(default=0)
    unavailable = NumberAttribute(default=0)
    faulted = NumberAttribute(default=0)
    unknown = NumberAttribute(default=0)
    offline = NumberAttribute(default=0)


@register
class StationLiveItem(Model):
    """What one station contributes to its group's live counters; in the station's partition, sk = LIVE."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    group_id = UnicodeAttribute(null=True)
    point_count = NumberAttribute(default=1)
    connected = BooleanAttribute(default=False)
    # connector id (text) -> status, with "!" appended when the error code is not NoError.
    statuses = MapAttribute(default=dict)
    rev = NumberAttribute(default=0)


@register
class RollupDayItem(Model):
    """Sessions that started on one local day, per group subtree; pk = <org>#G#<group> or <org>#ORPHANS, sk = D#YYYY-MM-DD.

    The station's own group's item also holds per-station attributes `n:<station id>` and `wh:<station id>`.
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)


@register
class RollupHourItem(Model):
    """Sessions that started in one UTC hour, per group subtree; sk = H#YYYY-MM-DDTHH.

    `used`: how many points had their latest session start in that hour (a histogram: the sum over the
    last 24 hours is the number of distinct points used in them).
    """

    class Meta(AggregateMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)
    used = NumberAttribute(default=0)
    expires = TTLAttribute(null=True)


@register
class StationHourItem(Model):
    """Sessions of one station that started in one UTC hour (its last-24-hours cards); sk = HOUR#YYYY-MM-DDTHH."""

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    sessions = NumberAttribute(default=0)
    energy_wh = NumberAttribute(default=0)
    used = NumberAttribute(default=0)
    expires = TTLAttribute(null=True)


@register
class StationUseItem(Model):
    """When each charging point's latest session started and the station's group path then; sk = USE.

    uses: connector id (text) -> "YYYY-MM-DDTHH|<group path>" (UTC hour; empty path = orphan).
    """

    class Meta(StationRecordMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    uses = MapAttribute(default=dict)
    rev = NumberAttribute(default=0)


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
