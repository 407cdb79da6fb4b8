"""Transactions: atomic id counter, idempotent start, meter updates and stop by conditional writes."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from chalicelib.clock import sortable
from chalicelib.storage.base import transact_write
from chalicelib.storage.models import CounterItem, StartKeyItem, TransactionItem
from chalicelib.storage.records import put_all

_COUNTER = "transaction"


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


def complete(transaction: TransactionItem, actions: list, extra_updates: list) -> bool:
    """Close an active transaction and apply `extra_updates` (model, actions) with it; False if not active."""
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
    except TransactWriteError:
        return False
    return True
