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
        json.dump({"version": 2, "journal": journal_generation, "tables": items}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    _fsync_dir(data_dir)
    count = sum(map(len, items.values()))
    log.info("snapshot of %d items written to %s", count, target)
    return count


def restore(snapshot: dict, tables: dict[str, str], region: str) -> int:
    """Put the snapshot's items back into the (empty, freshly provisioned) tables; returns how many."""
    backend = _backend(region)
    count = 0
    for suffix, items in snapshot["tables"].items():
        if suffix not in tables or tables[suffix] not in backend.tables:
            log.warning("snapshot table %s no longer exists; %d items skipped", suffix, len(items))
            continue
        for item in items:
            backend.put_item(tables[suffix], item)
        count += len(items)
    return count


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
