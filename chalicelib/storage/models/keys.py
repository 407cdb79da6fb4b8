"""Key formats shared by several tables."""

from __future__ import annotations


def station_key(org_id: str, station_id: str) -> str:
    """Partition key of everything that belongs to one station."""
    return f"{org_id}#{station_id}"
