"""A page of plain values and the opaque cursor of the next one, as every listing port returns them."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from chalicelib.ports.errors import StorageError

T = TypeVar("T")
MAX_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None


class InvalidCursor(StorageError):
    """The cursor was not made by this listing (malformed, of another partition, or of another store)."""


def clamp(limit: int) -> int:
    """Page sizes every store honours: 1 to MAX_PAGE."""
    return max(1, min(limit, MAX_PAGE))


def pack(value: Any) -> str:
    """A JSON value as an opaque, URL-safe cursor."""
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")


def unpack(cursor: str) -> Any:
    """The JSON value inside a cursor made by `pack`; InvalidCursor when it is not one."""
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError) as exc:
        raise InvalidCursor(cursor) from exc
