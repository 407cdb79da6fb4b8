"""The health port: does the store answer at all (GET /api/v1/health)."""

from __future__ import annotations

from typing import Protocol


class Health(Protocol):
    def check(self) -> None:
        """Return when the store answers; raise chalicelib.ports.errors.StorageUnavailable when it does not."""
