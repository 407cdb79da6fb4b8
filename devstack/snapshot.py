"""Keep the local tables across restarts: dumped at shutdown, restored at start, in DynamoDB JSON."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("devstack.snapshot")

FILE_NAME = "dynamodb.json"


def _client() -> Any:
    import boto3  # noqa: PLC0415

    from chalicelib.settings import get_settings  # noqa: PLC0415

    settings = get_settings()
    return boto3.client("dynamodb", endpoint_url=settings.dynamodb_endpoint, region_name=settings.region)


def _tables() -> dict[str, str]:
    """Table suffix -> physical name; keyed by suffix so a snapshot survives a prefix change."""
    from chalicelib.storage.tables import table_owners  # noqa: PLC0415

    return {m.Meta.table_suffix: m.Meta.table_name for m in table_owners()}


def dump(data_dir: Path) -> Path:
    """Scan every table (fine here: the local harness, not a request path) and write one file."""
    client = _client()
    tables: dict[str, list[dict]] = {}
    for suffix, name in _tables().items():
        items: list[dict] = []
        for page in client.get_paginator("scan").paginate(TableName=name):
            items.extend(page["Items"])
        tables[suffix] = items
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / FILE_NAME
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".dynamodb-", suffix=".tmp")
    with os.fdopen(fd, "w") as out:
        json.dump({"version": 1, "tables": tables}, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, target)
    log.info("snapshot of %d items written to %s", sum(map(len, tables.values())), target)
    return target


def restore(data_dir: Path) -> bool:
    """Write the snapshot's items back; False when there is none (first start)."""
    source = data_dir / FILE_NAME
    if not source.exists():
        return False
    snapshot = json.loads(source.read_text())
    client = _client()
    names = _tables()
    count = 0
    for suffix, items in snapshot["tables"].items():
        if suffix not in names:
            log.warning("snapshot table %s no longer exists; %d items skipped", suffix, len(items))
            continue
        for start in range(0, len(items), 25):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending = {names[suffix]: requests}
            while pending:
                pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        count += len(items)
    log.info("snapshot of %d items restored from %s", count, source)
    return True
