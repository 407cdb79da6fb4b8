"""Storage's own typed errors, raised by every store implementation and mapped once at each edge."""

from __future__ import annotations


class StorageError(Exception):
    """Base of everything a store raises on purpose."""


class NotFound(StorageError):
    """The item asked for does not exist."""


class AlreadyExists(StorageError):
    """A create met an item with the same key."""


class ConditionFailed(StorageError):
    """A conditional write or transaction lost: the item changed or its precondition did not hold."""


class StorageUnavailable(StorageError):
    """The store failed after its retries (throttling, network, service error)."""
