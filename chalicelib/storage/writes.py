"""TransactWriteItems built from models or hand-built items, what a cancelled one means; update actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from pynamodb.exceptions import TransactWriteError

from chalicelib.storage.base import connection

TRANSACTION_ITEMS = 100  # TransactWriteItems' limit
CONFLICT_TRIES = 3
# Transactions of one `commit_each` in flight at once: while DynamoDB works on one, the next is built and sent
# (a Lambda's duration is mostly these round trips).
PARALLEL_REQUESTS = 4  # a unit alone, refused only because a concurrent transaction held one of its items
U = TypeVar("U")


def set_or_remove(attribute, value):
    """The UpdateItem action that stores `value`, or removes the attribute when it is None."""
    return attribute.remove() if value is None else attribute.set(value)

class Writes:
    """The operations of one TransactWriteItems, built from models or hand-built items."""

    def __init__(self) -> None:
        self.checks: list[dict] = []
        self.deletes: list[dict] = []
        self.puts: list[dict] = []
        self.updates: list[dict] = []

    def __len__(self) -> int:
        return len(self.checks) + len(self.deletes) + len(self.puts) + len(self.updates)

    def check(self, model_class, hash_key, range_key, condition) -> None:
        self.checks.append(model_class.get_operation_kwargs_from_class(hash_key, range_key, condition))

    def put_raw(self, table_name: str, item: dict) -> None:
        self.puts.append({"TableName": table_name, "Item": item})

    def save(self, model, condition=None) -> None:
        self.puts.append(model.get_save_kwargs_from_instance(condition=condition))

    def update(self, model, actions: list, condition=None) -> None:
        self.updates.append(model.get_update_kwargs_from_instance(actions, condition, add_version_condition=False))

    def delete(self, model, condition=None) -> None:
        self.deletes.append(model.get_delete_kwargs_from_instance(condition, add_version_condition=False))

    def commit(self, token: str | None = None) -> None:
        """`token` (ClientRequestToken) makes a retry of the same request idempotent for 10 minutes: an SDK
        retry after a lost answer does not see its own writes as failed conditions."""
        try:
            connection().transact_write_items(self.checks, self.deletes, self.puts, self.updates,
                                              client_request_token=token)
        except TransactWriteError as error:
            codes = {reason.code for reason in error.cancellation_reasons if reason is not None}
            if not codes:
                raise  # not a cancellation (validation, throttling after retries): a real failure
            raise Refused(codes <= {"TransactionConflict"}) from error


class Refused(Exception):
    """A transaction was cancelled: a condition failed, or (`conflict`) a concurrent one held its items."""

    def __init__(self, conflict: bool) -> None:
        super().__init__("transaction cancelled" + (" by a concurrent transaction" if conflict else ""))
        self.conflict = conflict


def commit_each(units: Sequence[U], build: Callable[[Writes, U], None], items_per_unit: int) -> list[bool]:
    """Commit the writes of many units (`build` adds one unit's, each with its conditions; no two units may
    name one item) in as few TransactWriteItems as the 100-item limit allows, up to PARALLEL_REQUESTS at
    once. A cancelled transaction is committed again unit by unit, each alone and atomic, so one unit's
    failed condition costs no other unit its write.
    Per unit: True when written, False when its own condition failed (nothing of it written)."""
    per_request = max(1, TRANSACTION_ITEMS // items_per_unit)
    chunks = [units[start : start + per_request] for start in range(0, len(units), per_request)]
    if len(chunks) <= 1:
        return [flag for chunk in chunks for flag in _commit_chunk(chunk, build)]
    with ThreadPoolExecutor(max_workers=min(PARALLEL_REQUESTS, len(chunks)), thread_name_prefix="commit") as pool:
        return [flag for flags in pool.map(lambda chunk: _commit_chunk(chunk, build), chunks) for flag in flags]


def _commit_chunk(chunk: Sequence[U], build: Callable[[Writes, U], None]) -> list[bool]:
    if len(chunk) > 1 and _commit(chunk, build, tries=1):
        return [True] * len(chunk)
    return [_commit([unit], build, tries=CONFLICT_TRIES) for unit in chunk]


def _commit(units: Sequence[U], build: Callable[[Writes, U], None], tries: int) -> bool:
    writes = Writes()
    for unit in units:
        build(writes, unit)
    token = uuid.uuid4().hex
    for attempt in range(tries):
        try:
            writes.commit(token if attempt == 0 else uuid.uuid4().hex)
            return True
        except Refused as refused:
            if not refused.conflict:
                return False
    return False
