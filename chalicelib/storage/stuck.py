"""Key formats of the active-sessions index and of the stuck and load items (ADR 0017)."""

from __future__ import annotations

from datetime import datetime

from chalicelib.clock import sortable

# Active sessions are spread over a few index partitions, so that starts and stops of the whole fleet
# never meet in one; the stuck job reads them all with one Query each.
ACTIVE_SHARDS = 4


def active_shard(transaction_id: int) -> str:
    return shard_key(transaction_id % ACTIVE_SHARDS)


def shard_key(shard: int) -> str:
    """The active-sessions index's partition key of one shard (written by `active_shard`, read by the stuck job)."""
    return f"A{shard}"


def active_key(org_id: str, started_at: datetime) -> str:
    return f"{org_id}#{sortable(started_at)}"


def stuck_pk(org_id: str) -> str:
    return f"{org_id}#STUCK"


def stuck_sk(station_id: str, transaction_id: int) -> str:
    return f"{station_id}#{transaction_id:012d}"


def load_pk(org_id: str) -> str:
    return f"{org_id}#LOAD"
