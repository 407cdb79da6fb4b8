"""Time in one place: UTC-aware datetimes and RFC 3339 strings; tests pin `now`."""

from __future__ import annotations

from datetime import UTC, datetime

UTC = UTC


def now() -> datetime:
    return datetime.now(UTC)


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with the 'Z' offset and millisecond precision."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")[:23] + "Z"


def sortable(moment: datetime) -> str:
    """Microsecond UTC timestamp that sorts as text (sort keys); `moment` must be UTC."""
    return moment.isoformat(timespec="microseconds")[:26]


def parse(text: str) -> datetime:
    """Parse a charger's timestamp; one without an offset is taken as UTC, as most chargers mean."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
