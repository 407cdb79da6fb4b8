"""Cursor paging over DynamoDB Queries: a page of items and an opaque cursor for the next one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import QueryError

from chalicelib.ports.paging import MAX_PAGE, InvalidCursor, Page, clamp, pack, unpack

__all__ = ["MAX_PAGE", "InvalidCursor", "Page", "decode_cursor", "encode_cursor", "query_page"]


def encode_cursor(key: dict | None) -> str | None:
    if not key:
        return None
    return pack(key)


def decode_cursor(cursor: str | None, hash_key: tuple[str, str] | None = None) -> dict | None:
    """The DynamoDB start key inside a cursor; refuses one that is malformed or of another partition."""
    if not cursor:
        return None
    key = unpack(cursor)
    if not isinstance(key, dict) or not key or len(key) > 4 or not all(_is_key_value(v) for v in key.values()):
        raise InvalidCursor(cursor)
    if hash_key is not None:
        name, value = hash_key
        if key.get(name) != {"S": value}:
            raise InvalidCursor(cursor)
    return key


def _is_key_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("S", "N") and isinstance(next(iter(value.values())), str)


def query_page(
    query: Callable[..., Any],
    limit: int,
    cursor: str | None,
    hash_key: tuple[str, str] | None = None,
    keep: Callable[[Any], bool] | None = None,
) -> Page:
    """Run `query(limit=..., last_evaluated_key=...)` (a PynamoDB query) for one page.

    `hash_key` (attribute name, value) pins the cursor to the queried partition, so a cursor of
    another organization is refused instead of reaching DynamoDB. `keep` filters in Python what a
    FilterExpression cannot express; the page is then filled from further items.
    """
    limit = clamp(limit)
    start = decode_cursor(cursor, hash_key)
    items: list = []
    try:
        results = query(limit=None if keep else limit, last_evaluated_key=start, page_size=max(limit, 25))
        for item in results:
            if keep is None or keep(item):
                items.append(item)
                if len(items) == limit:
                    break
        last = results.last_evaluated_key if len(items) == limit else None
    except QueryError as exc:
        if start is not None and "ValidationException" in str(exc.cause or exc):
            raise InvalidCursor(cursor) from exc
        raise
    return Page(items, encode_cursor(last))
