"""TransactWriteItems in moto at the cost of its items, not of its tables (patched in by fast_dynamodb).

moto 5.2.5 deep-copies every table a transaction names before it starts, to put the copies back if the
transaction fails: each TransactWriteItems costs O(table size) (tens of ms per call with a few thousand
stations, more as the tables grow). Here the same moto code runs, but the "copy" of a table is the table
itself, and what a rollback needs is taken beforehand: a deep copy of each item the transaction names
(it may touch no other: moto refuses two operations on one item). On failure moto's rollback puts the
same table objects back (a no-op), then each named item is set back as it was, through
fast_dynamodb's tracked write so the Query caches stay exact. A transaction whose items cannot be read
beforehand (malformed keys, unknown tables) runs moto's own way, copies and all.

Not restored, as moto's table copies would: stream records and other table-level state a failed write
may have changed (the stack's tables have no streams). Equivalence: tests/devstack/test_fast_dynamodb.py.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

_current = threading.local()  # .sharing: deepcopy of a Table answers the table itself


class CopyModule:
    """Stands for the `copy` module inside moto.dynamodb.models: every call is copy's own, except a deep
    copy of a Table while a transaction runs here."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict | None = None) -> Any:
        if isinstance(value, Table) and getattr(_current, "sharing", False):
            return value
        return copy.deepcopy(value, memo)


def _item_key(backend: Any, operation: dict) -> tuple[Table, DynamoType, DynamoType | None]:
    (kind, op), = operation.items()
    table = backend.tables[op["TableName"]]
    attrs = op["Item"] if kind == "Put" else op["Key"]
    hash_key = DynamoType(attrs[table.hash_key_attr])
    range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
    return table, hash_key, range_key


def _before_images(backend: Any, operations: list[dict], stored: Callable) -> list[tuple] | None:
    """(table, hash, range, partition existed, deep copy of the item or None) per named item; None when
    one cannot be read (moto's own path decides what then happens)."""
    images = []
    try:
        for operation in operations:
            table, hash_key, range_key = _item_key(backend, operation)
            item = stored(table, hash_key, range_key)
            images.append((table, hash_key, range_key, hash_key in table.items, copy.deepcopy(item)))
    except Exception:  # noqa: BLE001 (malformed: moto reports it)
        return None
    return images


def _put_back(table: Table, hash_key: DynamoType, range_key: DynamoType | None, existed: bool, item: Any) -> None:
    if table.range_key_attr:
        partition = table.items[hash_key]
        if item is not None:
            partition[range_key] = item
        else:
            partition.pop(range_key, None)
            if not partition and not existed:
                del table.items[hash_key]
    elif item is not None:
        table.items[hash_key] = item
    else:
        table.items.pop(hash_key, None)


def patched(stored: Callable, tracked: Callable, moto_own: Callable) -> Callable:
    """The backend's `transact_write_items` as fast_dynamodb installs it (given its helpers, so this module
    does not import it back): `stored(table, hash, range)` reads an item, `tracked(table, key, write)`
    writes one keeping the Query caches exact, `moto_own()` is moto's own method."""

    def transact_write_items(self: Any, transact_items: list[dict]) -> None:
        images = _before_images(self, transact_items, stored) if len(transact_items) <= 100 else None
        if images is None:
            return moto_own()(self, transact_items)
        _current.sharing = True
        try:
            return moto_own()(self, transact_items)
        except Exception:
            for table, hash_key, range_key, existed, item in reversed(images):
                tracked(
                    table,
                    lambda h=hash_key, r=range_key: (h, r),
                    lambda t=table, h=hash_key, r=range_key, e=existed, i=item: _put_back(t, h, r, e, i),
                )
            raise
        finally:
            _current.sharing = False

    return transact_write_items
