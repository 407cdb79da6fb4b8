"""A station's event feed, one local day of the organization at a time (previous / next day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from chalicelib.domain import rollups, station_view
from chalicelib.domain.access import Principal
from chalicelib.ports.records import StationEvent
from chalicelib.ports.registry import store


@dataclass
class Event:
    info: str | None
    connector_id: int
    status: str | None
    error_type: str | None
    vendor_error_code: str | None
    timestamp: datetime
    kind: str


@dataclass
class EventPage:
    day: date
    timezone: str
    previous_day: date
    next_day: date | None
    items: list[Event]
    cursor: str | None


def events(
    principal: Principal,
    station_id: str,
    day: date | None,
    status: str | None,
    error_type: str | None,
    q: str | None,
    limit: int,
    cursor: str | None,
    now: datetime,
) -> EventPage:
    """Newest first; `q` matches the info, "charging point #N", status, error type and local date and time."""
    station_view.visible(principal, station_id)
    tz = rollups.timezone_of(principal.org_id)
    zone = rollups.zone(tz)
    today = now.astimezone(zone).date()
    day = day or today
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    needle = q.lower() if q else None

    def keep(item: StationEvent) -> bool:
        return needle is None or needle in _search_text(item, zone)

    page = store().records.event_page(
        principal.org_id, station_id, start, end, status, error_type, limit, cursor, keep if needle else None
    )
    items = [Event(e.info, e.connector_id, e.status, e.error_code, e.vendor_error_code, e.timestamp, e.kind) for e in page.items]
    return EventPage(day, tz, day - timedelta(days=1), day + timedelta(days=1) if day < today else None, items, page.cursor)


def _search_text(item: StationEvent, zone) -> str:
    local = item.timestamp.astimezone(zone)
    return " ".join(
        str(part)
        for part in (
            item.info or "",
            f"charging point #{item.connector_id}",
            item.status or "",
            item.error_code or "",
            local.strftime("%d/%m/%Y %H:%M"),
            local.strftime("%Y-%m-%d %H:%M"),
        )
    ).lower()
