"""Keep the local tables across restarts: a snapshot in DynamoDB JSON plus the journal written since it.

Runs where moto runs (its process), on moto's tables directly, while moto serves no request (the caller
holds its lock). The snapshot names the journal generation whose entries come after it; a compaction
writes the new snapshot (atomically: temp file, fsync, rename, fsync of the directory) before it starts
that generation, so a crash at any point leaves a snapshot and the one journal that belongs to it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("devstack.snapshot")

FILE_NAME = "dynamodb.json"


def _backend(region: str) -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID  # noqa: PLC0415
    from moto.dynamodb.models import dynamodb_backends  # noqa: PLC0415

    return dynamodb_backends[DEFAULT_ACCOUNT_ID][region]


def read(data_dir: Path) -> dict | None:
    source = data_dir / FILE_NAME
    if not source.exists():
        return None
    return json.loads(source.read_text())


def dump(data_dir: Path, tables: dict[str, str], region: str, journal_generation: int) -> int:
    """Every item of `tables` (suffix -> physical name; keyed by suffix so a snapshot survives a prefix
    change) into one file; returns the number of items."""
    backend = _backend(region)
    items: dict[str, list[dict]] = {}
    for suffix, name in tables.items():
        table = backend.tables.get(name)
        items[suffix] = [item.to_json()["Attributes"] for item in table.all_items()] if table else []
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / FILE_NAME
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".dynamodb-", suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        _write(out, journal_generation, items)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    _fsync_dir(data_dir)
    count = sum(map(len, items.values()))
    log.info("snapshot of %d items written to %s", count, target)
    return count


CHUNK = 1000  # items per json.dumps call


def _write(out: Any, journal_generation: int, items: dict[str, list[dict]]) -> None:
    """What json.dump writes for {"version": 2, "journal": ..., "tables": items}, in chunks of json.dumps:
    json.dump takes the standard library's pure-Python encoder (about 57 us per item here, against 11 us for
    json.dumps' C one), and a compaction runs inside moto's lock, so every request waits for it."""
    out.write(json.dumps({"version": 2, "journal": journal_generation})[:-1] + ', "tables": {')
    for position, (suffix, rows) in enumerate(items.items()):
        out.write((", " if position else "") + json.dumps(suffix) + ": [")
        for start in range(0, len(rows), CHUNK):
            out.write((", " if start else "") + json.dumps(rows[start : start + CHUNK])[1:-1])
        out.write("]")
    out.write("}}")


def restore(snapshot: dict, tables: dict[str, str], region: str) -> int:
    """Put the snapshot's items back into the (empty, freshly provisioned) tables; returns how many.

    Each item is built by moto's own `Item` and filed where `Table.put_item` files it, without the checks
    of a PutItem request (key types and sizes, conditions): the snapshot was dumped from moto's tables, so
    its items passed them when they were written (moto's PutItem path took about 2 ms per item on the
    shared machine: minutes for 100,000). An item whose key does not fit the table (a table whose key
    changed since the snapshot) goes through moto's put_item and its errors, as before.
    """
    from devstack.fast_dynamodb import invalidate  # noqa: PLC0415

    backend = _backend(region)
    count = 0
    for suffix, items in snapshot["tables"].items():
        if suffix not in tables or tables[suffix] not in backend.tables:
            log.warning("snapshot table %s no longer exists; %d items skipped", suffix, len(items))
            continue
        table = backend.tables[tables[suffix]]
        for item in items:
            if not _filed(table, item):
                backend.put_item(tables[suffix], item)
        invalidate(table)  # written past moto's write paths: the Query caches start again
        count += len(items)
    return count


def _filed(table: Any, attrs: dict) -> bool:
    """The item filed in `table` as Table.put_item files it; False when its key does not fit the table."""
    from moto.dynamodb.models.dynamo_type import DynamoType, Item  # noqa: PLC0415

    hash_attrs = attrs.get(table.hash_key_attr)
    range_attrs = attrs.get(table.range_key_attr) if table.range_key_attr else None
    if hash_attrs is None or table.hash_key_type not in hash_attrs or (
        table.range_key_attr and (range_attrs is None or table.range_key_type not in range_attrs)
    ):
        return False
    hash_value = DynamoType(hash_attrs)
    if range_attrs is not None:
        range_value = DynamoType(range_attrs)
        table.items[hash_value][range_value] = Item(hash_value, range_value, attrs)
    else:
        table.items[hash_value] = Item(hash_value, None, attrs)
    return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
