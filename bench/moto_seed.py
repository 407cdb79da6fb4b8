"""Bench data put straight into moto's tables, run inside moto's process (devstack/moto_app.py's `seed` hook).

The benchmarks' millions of items would take hours through PutItem; here they become moto's own items in
bulk (what a PutItem would store, minus its checks), where moto keeps them: in its own process when the
local stack runs moto apart (CSMS_MOTO_PROCESS=1), in the stack's process otherwise. Nothing here is
journaled: the bench stacks run without a snapshot. Called with moto's lock held, so no request races it.
"""

from __future__ import annotations

import gc
import time
from datetime import datetime, timedelta
from typing import Any

SPAN_S = 300 * 86400  # sessions spread over the last 300 days


def put_items(region: str, items: dict[str, list[dict]]) -> dict:
    """Wire items ({name: {type: value}}) per physical table name, as bench.api_dashboard.Moto puts them."""
    from bench.api_dashboard import Moto

    moto = Moto(region)
    for table, wires in items.items():
        for wire in wires:
            moto.put(table, wire)
    return {"items": sum(map(len, items.values()))}


def put_sessions(region: str, table: str, station_ids: list[str], first: int, count: int, now: str) -> dict:
    """`count` completed sessions numbered from `first`, round-robin over the stations, started over the
    300 days before `now`; the collector is off meanwhile and the items are frozen after (moto's millions
    of objects: an emulator artifact, DynamoDB's data is in no Lambda's heap)."""
    from bench.api_dashboard import Moto, _transaction
    from devstack.fast_dynamodb import invalidate

    started = time.perf_counter()
    gc.disable()
    try:
        moto_table = Moto(region).backend.get_table(table)
        moment = datetime.fromisoformat(now)
        for n in range(first, first + count):
            start = moment - timedelta(seconds=(n * 7919) % SPAN_S)
            wire = _transaction(n, station_ids[n % len(station_ids)], 1 + n % 2, start, float(1000 + n % 30000))
            _put_fast(moto_table, wire)
        invalidate(moto_table)
    finally:
        gc.enable()
        gc.freeze()
    return {"seconds": time.perf_counter() - started}


def _put_fast(table: Any, wire: dict) -> None:
    """One item keyed by its hash key alone, built without Item()'s size check (it sums every attribute)."""
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    item = object.__new__(Item)
    attrs = item.attrs = LimitedSizeDict.__new__(LimitedSizeDict)
    for name, typed in wire.items():
        value = object.__new__(DynamoType)
        value.type, value.value = typed.popitem()
        dict.__setitem__(attrs, name, value)
    item.hash_key, item.range_key = attrs[table.hash_key_attr], None
    table.items[item.hash_key] = item


def freeze() -> dict:
    """Everything moto holds now (the items, the local stack's index maps built by the first Query) out of the
    collector's full passes, which would otherwise walk millions of objects during the export."""
    gc.collect()
    gc.freeze()
    return {"frozen": gc.get_freeze_count()}
