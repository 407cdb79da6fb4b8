"""Session roll-ups: where a finished session is counted (ADDed inside StopTransaction's transaction).

Per station and per group subtree (each ancestor group; orphans have their own scope): sessions and
energy per local day of the organization and per UTC hour, and a histogram of each point's latest
session start hour for the distinct points used in the last 24 hours. See ADR 0003.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.ports.aggregates import Increment, Scope
from chalicelib.ports.registry import store

__all__ = ["Increment", "PointUse", "Scope", "session_increments"]

HOURS_KEPT = 25  # hourly roll-ups serve the last 24 hours only
HOUR_TTL = timedelta(days=3)


@dataclass(frozen=True)
class PointUse:
    """A charging point's latest session start (UTC hour, YYYY-MM-DDTHH) and its station's group path then."""

    hour: str
    group_path: str | None

    def encode(self) -> str:
        return f"{self.hour}|{self.group_path or ''}"

    @classmethod
    def decode(cls, text: str | None) -> PointUse | None:
        if not text or "|" not in text:
            return None
        hour, _, path = text.partition("|")
        return cls(hour, path or None)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")


def timezone_of(org_id: str) -> str:
    """The organization's time zone (days are its local days); UTC when it has none."""
    organization = store().stations.organization(org_id)
    return (organization.timezone if organization else None) or "UTC"


def local_day(moment: datetime, tz: str | None) -> str:
    return moment.astimezone(zone(tz)).strftime("%Y-%m-%d")


def utc_hour(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo("UTC")).replace(minute=0, second=0, microsecond=0)


def scopes(org_id: str, group_path: str | None) -> list[Scope]:
    """Roll-up scopes holding a station: each group of its path (orphans: the orphans' scope)."""
    groups = [g for g in (group_path or "").split("/") if g]
    return [Scope(org_id, g) for g in groups] or [Scope(org_id)]


def hour_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H")


def session_increments(
    org_id: str,
    station_id: str,
    group_path: str | None,
    connector_id: int,
    started_at: datetime,
    energy_wh: float,
    tz: str | None,
    now: datetime,
    last_use: PointUse | None = None,
) -> tuple[list[Increment], PointUse | None]:
    """Where one finished session is counted, and the point's new latest use (None: unchanged).

    The session counts on the local day and the UTC hour it started, for the station and for every
    group subtree holding it (each ancestor; orphans have their own scope). Distinct points used in
    the last 24 hours are a histogram of each point's latest start hour: a later session moves the
    point from its previous hour (in the scopes it was counted in then) to the new one. Hourly items
    are written only while they can still fall in a last-24-hours window.
    """
    day, hour = local_day(started_at, tz), hour_text(utc_hour(started_at))
    oldest = hour_text(utc_hour(now) - timedelta(hours=HOURS_KEPT - 1))
    station = Scope.station(org_id, station_id)
    own = scopes(org_id, group_path)
    later = last_use is None or hour > last_use.hour
    used = 1 if later else 0
    out = [Increment("station_day", station, day, 1, energy_wh)]
    for scope in own:
        direct = {station_id: (1, energy_wh)} if scope == own[-1] else {}
        out.append(Increment("scope_day", scope, day, 1, energy_wh, per_station=direct))
    if hour >= oldest:
        expires = utc_hour(started_at) + HOUR_TTL
        out.append(Increment("station_hour", station, hour, 1, energy_wh, used, expires=expires))
        out.extend(Increment("scope_hour", scope, hour, 1, energy_wh, used, expires=expires) for scope in own)
    if later and last_use is not None and last_use.hour >= oldest:
        out.append(Increment("station_hour", station, last_use.hour, used=-1))
        out.extend(Increment("scope_hour", scope, last_use.hour, used=-1) for scope in scopes(org_id, last_use.group_path))
    return out, (PointUse(hour, group_path) if later else None)
