"""Aggregates kept as things happen, so that the dashboard and statistics never scan sessions.

Interface used by the station and group management code; the bodies are being written with the
statistics work (issue 3, section 5) and are no-ops until then.
"""

from __future__ import annotations

from datetime import datetime


def station_added(org_id: str, station_id: str, group_id: str | None, now: datetime) -> None:
    """A station was created in a group (or as an orphan)."""


def station_moved(org_id: str, station_id: str, old_group_id: str | None, new_group_id: str | None, now: datetime) -> None:
    """A station changed group (None = orphan): its live counters move with it."""


def station_removed(org_id: str, station_id: str, group_id: str | None, now: datetime) -> None:
    """A station was purged."""


def points_changed(org_id: str, station_id: str, group_id: str | None, old_count: int, new_count: int, now: datetime) -> None:
    """The number of charging points of a station changed."""
