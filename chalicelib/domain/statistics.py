"""Statistics read from the aggregates: live summaries, last 24 hours, per day; group and station views."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chalicelib.domain import aggregates, groups, point_status, rollups, station_view
from chalicelib.domain.access import Principal
from chalicelib.ports.aggregates import Scope
from chalicelib.ports.registry import store

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
        item.group_key: Counter({name: int(item.counts.get(name) or 0) for name in aggregates.COUNTERS})
        for item in store().aggregates.group_counters(org_id)
    }


def subtree_stations(org_id: str, tree: list[groups.Group]) -> dict[str, int]:
    """Group id -> stations in it and its subgroups, for a depth-first tree (as `groups.tree` gives it):
    one Query of the live counters, summed from the leaves up."""
    own = live_counts(org_id)
    total = {g.group_id: max(0, int(own.get(g.group_id, Counter())["stations"])) for g in tree}
    for g in reversed(tree):  # depth first: a group's subgroups come after it, so they are summed first
        if g.parent_id in total:
            total[g.parent_id] += total[g.group_id]
    return total


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


def last_24_hours(scopes: list[Scope], now: datetime) -> Cumulative:
    """Sessions that started in the current UTC hour and the 23 before: 24 hourly items per scope."""
    last = rollups.utc_hour(now)
    first, last_text = rollups.hour_text(last - timedelta(hours=23)), rollups.hour_text(last)
    sessions, energy, points = 0, 0.0, 0
    for scope in scopes:
        for hour in store().aggregates.hour_totals(scope, first, last_text):
            sessions += hour.sessions
            energy += hour.energy_wh
            points += hour.used
    return Cumulative(sessions, max(0, points), kwh(energy))


def window(days: int, tz: str, now: datetime) -> list[str]:
    """The last `days` local dates of the organization, oldest first, today included."""
    today = now.astimezone(rollups.zone(tz)).date()
    return [(today - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]


def per_day(scopes: list[Scope], dates: list[str]) -> tuple[list[Day], dict[str, dict[str, tuple[int, float]]]]:
    """Sessions and energy per local day over the scopes (one Query each), and the per-station
    values the days carry ({station id: {date: (sessions, Wh)}})."""
    totals: dict[str, list] = {d: [0, 0.0] for d in dates}
    stations: dict[str, dict[str, tuple[int, float]]] = {}
    for scope in scopes:
        for day in store().aggregates.day_totals(scope, dates[0], dates[-1]):
            totals[day.day][0] += day.sessions
            totals[day.day][1] += day.energy_wh
            for station_id, values in day.per_station.items():
                stations.setdefault(station_id, {})[day.day] = values
    return [Day(d, int(s), kwh(e)) for d, (s, e) in totals.items()], stations


def domain_scopes(principal: Principal) -> list[Scope]:
    """Roll-up scopes of the operator's whole domain: the base group's subtree (and the orphans when
    the domain is the organization and the operator may see orphans)."""
    scopes = [Scope(principal.org_id, principal.base_group_id)]
    if station_view.can_see(principal, None):
        scopes.append(Scope(principal.org_id))
    return scopes



def kwh(wh: float) -> float:
    return round(float(wh) / 1000.0, 3)


# --- views -----------------------------------------------------------------------------------------------
def group_statistics(principal: Principal, group_id: str, days: int, now: datetime) -> GroupStatistics:
    """A group's view, as the dashboard: its subtree's live summary, last 24 hours, sessions and energy
    per day, and per day for each of its own stations."""
    group = groups.visible(principal, group_id)
    tz = rollups.timezone_of(principal.org_id)
    counts = live_counts(principal.org_id)
    subtree = store().aggregates.groups_under(principal.org_id, group.path)
    summary = summarize([counts.get(g.group_id, Counter()) for g in subtree])
    scope = Scope(principal.org_id, group.group_id)
    dates = window(days, tz, now)
    totals, stations = per_day([scope], dates)
    series = [
        StationSeries(station_id, [Day(d, values.get(d, (0, 0.0))[0], kwh(values.get(d, (0, 0.0))[1])) for d in dates])
        for station_id, values in sorted(stations.items())
    ]
    return GroupStatistics(group.group_id, group.name, tz, summary, last_24_hours([scope], now), totals, series)


def station_statistics(principal: Principal, station_id: str, days: int, now: datetime) -> StationStatistics:
    """A station's usage per local day (7 or 30 days) and its last-24-hours cards."""
    station_view.visible(principal, station_id)
    tz = rollups.timezone_of(principal.org_id)
    scope = Scope.station(principal.org_id, station_id)
    dates = window(days, tz, now)
    found = {day.day: day for day in store().aggregates.day_totals(scope, dates[0], dates[-1])}
    series = [Day(d, found[d].sessions, kwh(found[d].energy_wh)) if d in found else Day(d, 0, 0.0) for d in dates]
    cards = last_24_hours([scope], now)
    return StationStatistics(station_id, tz, cards, series)

