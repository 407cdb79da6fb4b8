"""Cursor paging over sorted in-memory rows, with DynamoDB's rules: a full page may be followed by an
empty one, a cursor is pinned to its partition, and a foreign or malformed cursor is InvalidCursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from chalicelib.ports.paging import InvalidCursor, Page, clamp, pack, unpack


def page(
    rows: Iterable[tuple[str, Any]],
    partition: str,
    limit: int,
    cursor: str | None,
    keep: Callable[[Any], bool] | None = None,
    descending: bool = False,
) -> Page:
    """`rows` are (sort key, value) of one partition, already filtered as a FilterExpression would;
    `descending` reads them as ScanIndexForward=False does."""
    limit = clamp(limit)
    after = _decode(cursor, partition)
    ordered = sorted(
        (row for row in rows if after is None or (row[0] < after if descending else row[0] > after)),
        key=lambda row: row[0],
        reverse=descending,
    )
    items: list = []
    last = None
    for index, (key, value) in enumerate(ordered):
        if keep is None or keep(value):
            items.append(value)
            if len(items) == limit:
                last = key if index + 1 < len(ordered) else None
                break
    return Page(items, _encode(partition, last) if last is not None else None)


def _encode(partition: str, key: str) -> str:
    return pack({"p": partition, "k": key})


def _decode(cursor: str | None, partition: str) -> str | None:
    if not cursor:
        return None
    value = unpack(cursor)
    if not isinstance(value, dict) or value.get("p") != partition or not isinstance(value.get("k"), str):
        raise InvalidCursor(cursor)
    return value["k"]
