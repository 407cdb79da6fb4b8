"""A page of plain values and the opaque cursor of the next one, as every listing port returns them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

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
