"""Statistics read from the aggregates: live summaries, last 24 hours, per day; group and station views."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain import aggregates, groups, point_status, rollups, station_view
from chalicelib.domain.access import Principal
from chalicelib.storage import aggregates as store

# Raw OCPP status of the counters -> the manual's icon (the donut), as the station views show points.
_DISPLAY = {status: point_status.display(status) for status in aggregates.STATUS_FIELDS if status not in ("Unknown", "Offline")}
_DISPLAY.update({"Unknown": point_status.display(None), "Offline": point_status.OFFLINE})


@dataclass
class Summary:
    """Live state of a set of stations: counts, OCPP statuses of their points and the donut."""

    stations: int = 0
    points: int = 0
    charging: int = 0
    issues: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    donut: dict[str, int] = field(default_factory=dict)


@dataclass
class Cumulative:
    charging_events: int
    used_points: int
    energy_kwh: float


@dataclass
class Day:
    date: str
    sessions: int
    energy_kwh: float


@dataclass
class StationSeries:
    station_id: str
    days: list[Day]


@dataclass
class GroupStatistics:
    group_id: str
    name: str
    timezone: str
    summary: Summary
    last_24_hours: Cumulative
    days: list[Day]
    stations: list[StationSeries]


@dataclass
class StationStatistics:
    station_id: str
    timezone: str
    last_24_hours: Cumulative
    days: list[Day]


# --- building blocks ---------------------------------------------------------------------------------
def live_counts(org_id: str) -> dict[str, Counter]:
    """Group key (group id, or "-" for orphans) -> its own stations' live counters: one Query."""
    return {
        item.sk: Counter({name: int(getattr(item, name) or 0) for name in aggregates.COUNTERS})
        for item in store.group_counters(org_id)
    }


def summarize(counts: list[Counter]) -> Summary:
    total: Counter = Counter()
    for c in counts:
        total.update(c)
    statuses = {status: max(0, int(total[name])) for status, name in aggregates.STATUS_FIELDS.items()}
    donut: Counter = Counter()
    for status, number in statuses.items():
        donut[_DISPLAY[status]] += number
    return Summary(
        stations=max(0, int(total["stations"])),
        points=max(0, int(total["points"])),
        charging=donut[point_status.CHARGING],
        issues=max(0, int(total["issues"])),
        statuses=statuses,
        donut={name: donut[name] for name in point_status.DISPLAY_STATUSES if name != point_status.DISABLED},
    )


def last_24_hours(pks: list[str], now: datetime, station: bool = False) -> Cumulative:
    """Sessions that started in the current UTC hour and the 23 before: 24 hourly items per scope."""
    last = rollups.utc_hour(now)
    sessions, energy, points = 0, 0.0, 0
    for pk in pks:
        for hour_sessions, hour_energy, hour_points in store.hour_totals(pk, last - timedelta(hours=23), last, station):
            sessions += hour_sessions
            energy += hour_energy
            points += hour_points
    return Cumulative(sessions, max(0, points), kwh(energy))


def window(days: int, tz: str, now: datetime) -> list[str]:
    """The last `days` local dates of the organization, oldest first, today included."""
    today = now.astimezone(rollups.zone(tz)).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]


def per_day(pks: list[str], dates: list[str]) -> tuple[list[Day], dict[str, dict[str, tuple[int, float]]]]:
    """Sessions and energy per local day over the scopes `pks` (one Query each), and the per-station
    values the days carry ({station id: {date: (sessions, Wh)}})."""
    totals: dict[str, list] = {d: [0, 0.0] for d in dates}
    stations: dict[str, dict[str, tuple[int, float]]] = {}
    for pk in pks:
        for day, sessions, energy, own in store.scope_day_totals(pk, dates[0], dates[-1]):
            totals[day][0] += sessions
            totals[day][1] += energy
            for station_id, values in own.items():
                stations.setdefault(station_id, {})[day] = values
    return [Day(d, int(s), kwh(e)) for d, (s, e) in totals.items()], stations


def domain_scopes(principal: Principal) -> list[str]:
    """Roll-up scopes of the operator's whole domain: the base group's subtree (and the orphans when
    the domain is the organization and the operator may see orphans)."""
    pks = [store.scope_pk(principal.org_id, principal.base_group_id)]
    if station_view.can_see(principal, None):
        pks.append(store.scope_pk(principal.org_id, None))
    return pks


def kwh(wh: float) -> float:
    return round(float(wh) / 1000.0, 3)


# --- views -----------------------------------------------------------------------------------------------
def group_statistics(principal: Principal, group_id: str, days: int, now: datetime) -> GroupStatistics:
    """A group's view, as the dashboard: its subtree's live summary, last 24 hours, sessions and energy
    per day, and per day for each of its own stations."""
    group = groups.visible(principal, group_id)
    tz = store.timezone_of(principal.org_id)
    counts = live_counts(principal.org_id)
    subtree = store.groups_under(principal.org_id, group.path)
    summary = summarize([counts.get(g.group_id, Counter()) for g in subtree])
    pk = store.scope_pk(principal.org_id, group.group_id)
    dates = window(days, tz, now)
    totals, stations = per_day([pk], dates)
    series = [
        StationSeries(station_id, [Day(d, values.get(d, (0, 0.0))[0], kwh(values.get(d, (0, 0.0))[1])) for d in dates])
        for station_id, values in sorted(stations.items())
    ]
    return GroupStatistics(group.group_id, group.name, tz, summary, last_24_hours([pk], now), totals, series)


def station_statistics(principal: Principal, station_id: str, days: int, now: datetime) -> StationStatistics:
    """A station's usage per local day (7 or 30 days) and its last-24-hours cards."""
    station_view.visible(principal, station_id)
    tz = store.timezone_of(principal.org_id)
    pk = f"{principal.org_id}#{station_id}"
    dates = window(days, tz, now)
    found = store.station_day_totals(pk, dates[0], dates[-1])
    series = [Day(d, found.get(d, (0, 0.0))[0], kwh(found.get(d, (0, 0.0))[1])) for d in dates]
    cards = last_24_hours([pk], now, station=True)
    return StationStatistics(station_id, tz, cards, series)

