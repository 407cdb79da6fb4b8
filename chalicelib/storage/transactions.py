"""Transactions: atomic id counter, idempotent start, meter updates and stop by conditional writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.connection.base import BOTOCORE_EXCEPTIONS
from pynamodb.exceptions import DoesNotExist, GetError, TransactWriteError

from chalicelib.clock import sortable
from chalicelib.storage.base import connection, transact_write
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


def stop_context(transaction_id: int, org_id: str, station_id: str) -> StopContext:
    """The transaction, its station, the organization's time zone and the station's point uses: one BatchGetItem."""
    wanted = {
        TransactionItem: {"transaction_id": {"N": str(transaction_id)}},
        StationItem: {"org_id": {"S": org_id}, "station_id": {"S": station_id}},
        OrganizationItem: {"org_id": {"S": org_id}},
        StationUseItem: {"pk": {"S": f"{org_id}#{station_id}"}, "sk": {"S": USES_SK}},
    }
    request = {model.Meta.table_name: {"Keys": [key]} for model, key in wanted.items()}
    found: dict = {}
    try:
        while request:
            answer = connection().dispatch("BatchGetItem", {"RequestItems": request})
            for model in wanted:
                for raw in answer.get("Responses", {}).get(model.Meta.table_name, []):
                    found[model] = model.from_raw_data(raw)
            request = answer.get("UnprocessedKeys") or {}
    except BOTOCORE_EXCEPTIONS as exc:
        raise GetError("Failed to batch get items", exc) from exc
    organization = found.get(OrganizationItem)
    timezone = (organization.timezone if organization else None) or "UTC"
    return StopContext(found.get(TransactionItem), found.get(StationItem), timezone, found.get(StationUseItem))


def uses_of(context: StopContext) -> dict[str, str]:
    """connector id -> "hour|group path" of the station's points (see StationUseItem)."""
    uses = context.uses.uses if context.uses is not None else None
    if uses is None:
        return {}
    return {k: str(v) for k, v in (uses.as_dict() if hasattr(uses, "as_dict") else dict(uses)).items()}


def uses_put(pk: str, context: StopContext, uses: dict[str, str]) -> tuple[StationUseItem, object]:
    """The station's new point uses, on condition nobody changed them since `context` was read."""
    seen = context.uses
    item = StationUseItem(pk, USES_SK, uses=uses, rev=(int(seen.rev) if seen is not None else 0) + 1)
    condition = StationUseItem.sk.does_not_exist() if seen is None else StationUseItem.rev == int(seen.rev)
    return item, condition


def apply_samples(transaction_id: int | None, samples: list, reading: dict | None) -> bool:
    """Store raw samples and, when `reading` is newer than the last one, advance the session energy.

    `reading` = {at, register_wh, power_w, soc}. The session energy is the register's delta from
    the transaction's start (`last_register_wh - meter_start_wh`); a replay, an older reading or a
    register below the last one (a meter reset, a Transaction.Begin of 0 after an offline period)
    fails the condition and leaves it as it was.
    """
    if transaction_id is None or reading is None:
        put_all(samples)
        return False
    item = TransactionItem(transaction_id)
    actions = [
        TransactionItem.last_register_wh.set(reading["register_wh"]),
        TransactionItem.last_sample_at.set(reading["at"]),
    ]
    if reading.get("power_w") is not None:
        actions.append(TransactionItem.power_w.set(reading["power_w"]))
    if reading.get("soc") is not None:
        actions.append(TransactionItem.soc.set(reading["soc"]))
    condition = (
        (TransactionItem.state == "Active")
        & (TransactionItem.last_sample_at < reading["at"])
        & (TransactionItem.last_register_wh <= reading["register_wh"])
    )
    try:
        with transact_write() as tx:
            for sample in samples:
                tx.save(sample)
            tx.update(item, actions=actions, condition=condition, add_version_condition=False)
    except TransactWriteError:
        put_all(samples)  # idempotent keys: a replay rewrites the same items
        return False
    return True


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
    except TransactWriteError:
        return False
    return True
