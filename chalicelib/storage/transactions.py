"""Transactions: atomic id counter, idempotent start, meter updates and stop by conditional writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError

from chalicelib.clock import sortable
from chalicelib.storage.base import get_each, transact_write
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import (
    CounterItem,
    OrganizationItem,
    StartKeyItem,
    StationItem,
    StationUseItem,
    TransactionItem,
)
from chalicelib.storage.records import put_all

_COUNTER = "transaction"
USES_SK = "USE"


def next_transaction_id() -> int:
    counter = CounterItem(_COUNTER)
    counter.update(actions=[CounterItem.value.add(1)])
    return int(counter.value)


def start_key(connector_id: int, timestamp: datetime, id_tag: str) -> str:
    return f"TS#{connector_id}#{sortable(timestamp)}#{id_tag}"


def find_start(pk: str, sk: str) -> StartKeyItem | None:
    try:
        return StartKeyItem.get(pk, sk)
    except DoesNotExist:
        return None


def create(transaction: TransactionItem, key: StartKeyItem) -> StartKeyItem:
    """Store a new transaction with its idempotency key; on a race the first writer's key wins."""
    try:
        with transact_write() as tx:
            tx.save(key, condition=StartKeyItem.sk.does_not_exist())
            tx.save(transaction, condition=TransactionItem.transaction_id.does_not_exist())
    except TransactWriteError:
        existing = find_start(key.pk, key.sk)
        if existing is None:
            raise
        return existing
    return key


def get(transaction_id: int) -> TransactionItem | None:
    try:
        return TransactionItem.get(transaction_id)
    except DoesNotExist:
        return None


@dataclass(frozen=True)
class StopContext:
    transaction: TransactionItem | None
    station: StationItem | None
    timezone: str
    uses: StationUseItem | None


def latest_on_connector(station_pk: str, connector_id: int, scan: int = 50) -> TransactionItem | None:
    """The connector's newest session among the station's `scan` newest (the by-station index)."""
    for item in TransactionItem.by_station.query(station_pk, scan_index_forward=False, limit=scan):
        if item.connector_id == connector_id:
            return item
    return None


def stop_context(transaction_id: int, org_id: str, station_id: str) -> StopContext:
    """The transaction, its station, the organization's time zone and the station's point uses: one BatchGetItem."""
    wanted = {
        TransactionItem: {"transaction_id": {"N": str(transaction_id)}},
        StationItem: {"org_id": {"S": org_id}, "station_id": {"S": station_id}},
        OrganizationItem: {"org_id": {"S": org_id}},
        StationUseItem: {"pk": {"S": f"{org_id}#{station_id}"}, "sk": {"S": USES_SK}},
    }
    found = get_each(wanted)
    organization = found.get(OrganizationItem)
    timezone = (organization.timezone if organization else None) or "UTC"
    return StopContext(found.get(TransactionItem), found.get(StationItem), timezone, found.get(StationUseItem))


def uses_of(context: StopContext) -> dict[str, str]:
    """connector id -> "hour|group path" of the station's points (see StationUseItem)."""
    uses = context.uses.uses if context.uses is not None else None
    if uses is None:
        return {}
    return {k: str(v) for k, v in (uses.as_dict() if hasattr(uses, "as_dict") else dict(uses)).items()}


def advance(pk: str, transaction_id: int, reading, max_power: float, floor: float, flags: set[str]) -> datetime | None:
    """Count `reading` as the session's register with one conditional UpdateItem, if it may count.

    It may when the session is active and this station's, the reading is newer than the last counted one
    and not lower, and the energy rule allows it (`energy_base >= floor` for the session's own power; see
    domain.metering). Returns the time of the reading counted before (UPDATED_OLD), or None: nothing was
    written (a replay, an older or impossible reading, or another station's session). Raw samples are
    not part of this write (ADR 0019: one write unit per MeterValues).
    """
    attributes = TransactionItem
    actions = [attributes.last_register_wh.set(reading.register_wh), attributes.last_sample_at.set(reading.at)]
    if reading.power_w is not None:
        actions.append(attributes.power_w.set(reading.power_w))
    if reading.soc is not None:
        actions.append(attributes.soc.set(reading.soc))
    if flags:
        actions.append(attributes.flags.add(flags))
    condition = (
        (attributes.state == "Active")
        & (attributes.station_pk == pk)
        & (attributes.last_sample_at < reading.at)
        & (attributes.last_register_wh <= reading.register_wh)
        & (
            attributes.energy_base.does_not_exist()
            | ((attributes.max_power_w == max_power) & (attributes.energy_base >= floor))
        )
    )
    try:
        answer = TransactionItem._get_connection().update_item(
            transaction_id, actions=actions, condition=condition, return_values="UPDATED_OLD"
        )
    except UpdateError as exc:
        if condition_failed(exc):
            return None
        raise
    before = (answer.get("Attributes") or {}).get("last_sample_at", {}).get("S")
    return attributes.last_sample_at.deserialize(before) if before else reading.at


def record(samples: list, transaction_id: int | None = None, flags: set[str] = frozenset()) -> None:
    """Store raw samples (idempotent keys: a replay rewrites the same items) and add flags to a session."""
    put_all(samples)
    if transaction_id is not None and flags:
        TransactionItem(transaction_id).update(
            actions=[TransactionItem.flags.add(set(flags))],
            condition=TransactionItem.transaction_id.exists(),
            add_version_condition=False,
        )


def _cancelled(exc: TransactWriteError) -> bool:
    """Whether a TransactWriteItems failed on a condition (as opposed to a validation or service error)."""
    return getattr(exc, "cause_response_code", None) == "TransactionCanceledException"


def complete(transaction: TransactionItem, actions: list, extra_updates: list, extra_puts: list = ()) -> bool:
    """Close an active transaction and apply `extra_updates` (model, actions) and `extra_puts` (model,
    condition) with it; False if it is not active any more or a put's condition failed."""
    try:
        with transact_write() as tx:
            tx.update(
                transaction,
                actions=actions,
                condition=TransactionItem.state == "Active",
                add_version_condition=False,
            )
            for model, model_actions in extra_updates:
                tx.update(model, actions=model_actions, add_version_condition=False)
            for model, condition in extra_puts:
                tx.save(model, condition=condition)
    except TransactWriteError as exc:
        if _cancelled(exc):
            return False
        raise
    return True
