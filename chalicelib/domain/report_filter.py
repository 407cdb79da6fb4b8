"""A report's selection checked against the operator's domain and resolved into a plan of plain sets.

Station filters (charging groups with their subtrees, stations, points) add up; so do user filters
(charging users, members of user groups, RFID tokens); a session must pass both. With no user filter
every session counts, free (anonymous) charging too, as the manual says.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.access import Principal
from chalicelib.domain.charging_users import USER_GROUP_MISSING
from chalicelib.domain.errors import STATION_MISSING, USER_MISSING, Invalid, NotFound
from chalicelib.domain.tokens import UNKNOWN_RFID
from chalicelib.domain.user_scope import Scope, user_key
from chalicelib.ports.registry import store
from chalicelib.ports.reports import ReportSession

MAX_DAYS = 366
TO_BEFORE_FROM = "The end date of a report cannot be before its start date."
TOO_LONG = f"A report can cover at most {MAX_DAYS} days."
BAD_DELIMITER = "The CSV delimiter must be a comma or a semicolon."
POINT_MISSING = "Charging point does not exist."


@dataclass(frozen=True)
class Selection:
    """What the operator asked for (the REST body, validated for shape)."""

    from_date: date
    to_date: date
    group_ids: tuple[str, ...] = ()
    station_ids: tuple[str, ...] = ()
    points: tuple[tuple[str, int], ...] = ()
    charging_user_ids: tuple[str, ...] = ()
    user_group_ids: tuple[str, ...] = ()
    token_ids: tuple[str, ...] = ()
    delimiter: str = ","

    def as_json(self) -> dict:
        value = asdict(self)
        value.update(from_date=self.from_date.isoformat(), to_date=self.to_date.isoformat())
        return value


@dataclass
class Plan:
    """The resolved selection: the time window in UTC and the sets a session is tested against."""

    timezone: str
    start: datetime
    end: datetime
    station_names: dict[str, str]  # every station of the operator's domain -> its name
    whole: set[str]  # stations whose every session counts
    points: set[str] = field(default_factory=set)  # "<station>#<connector>" counted on their own
    users: set[str] | None = None  # None: no user filter (every session, anonymous too)
    tokens: set[str] = field(default_factory=set)

    def keeps(self, session: ReportSession) -> bool:
        if session.state != "Completed":
            return False
        if session.station_id not in self.whole and f"{session.station_id}#{session.connector_id}" not in self.points:
            return False
        if self.users is None:
            return True
        return session.user_id in self.users or session.id_tag in self.tokens

    def as_json(self) -> dict:
        return {
            "timezone": self.timezone, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "station_names": self.station_names, "whole": sorted(self.whole), "points": sorted(self.points),
            "users": sorted(self.users) if self.users is not None else None, "tokens": sorted(self.tokens),
        }

    @classmethod
    def from_json(cls, raw: dict) -> Plan:
        users = raw["users"]
        return cls(raw["timezone"], datetime.fromisoformat(raw["start"]), datetime.fromisoformat(raw["end"]),
                   dict(raw["station_names"]), set(raw["whole"]), set(raw["points"]),
                   set(users) if users is not None else None, set(raw["tokens"]))


def window(selection: Selection, timezone: str) -> tuple[datetime, datetime]:
    """From the start of `from` to the end of `to` (both inclusive) in the organization's zone, as aware datetimes."""
    if selection.to_date < selection.from_date:
        raise Invalid(TO_BEFORE_FROM)
    if (selection.to_date - selection.from_date).days + 1 > MAX_DAYS:
        raise Invalid(TOO_LONG)
    if selection.delimiter not in (",", ";"):
        raise Invalid(BAD_DELIMITER)
    zone = ZoneInfo(timezone)
    start = datetime.combine(selection.from_date, time(0), zone)
    end = datetime.combine(selection.to_date + timedelta(days=1), time(0), zone)
    return start, end


def plan(operator: Principal, selection: Selection, timezone: str) -> Plan:
    """Check every id against the operator's domain (the manual's "not found" texts) and resolve the sets."""
    start, end = window(selection, timezone)
    scope = Scope(operator)
    domain = domain_stations(scope)
    whole, points = _stations(scope, domain, selection)
    users, tokens = _users(scope, selection)
    return Plan(timezone, start, end, {s: name for s, (name, _) in domain.items()}, whole, points, users, tokens)


def domain_stations(scope: Scope) -> dict[str, tuple[str, str | None]]:
    """station id -> (name, group path) of every station in the operator's domain (orphans for the whole org)."""
    estate = store().estate
    found: dict[str, tuple[str, str | None]] = {}
    pages = [lambda cursor: estate.page_in_subtree(scope.org_id, scope.operator.base_path, 100, cursor, None)]
    if scope.operator.is_org_root:
        pages.append(lambda cursor: estate.page_of_orphans(scope.org_id, 100, cursor, None))
    for page_of in pages:
        cursor = None
        while True:
            page = page_of(cursor)
            found.update((s.station_id, (s.name or s.station_id, s.group_path)) for s in page.items)
            cursor = page.cursor
            if cursor is None:
                break
    return found


def _stations(scope: Scope, domain: dict, selection: Selection) -> tuple[set[str], set[str]]:
    if not (selection.group_ids or selection.station_ids or selection.points):
        return set(domain), set()
    scope.require_groups(list(selection.group_ids))
    paths = [scope.groups[g] for g in selection.group_ids]
    whole = {s for s, (_, path) in domain.items() if path and any(path.startswith(p) for p in paths)}
    for station_id in selection.station_ids:
        if station_id not in domain:
            raise NotFound(STATION_MISSING)
        whole.add(station_id)
    points = set()
    for station_id, point in selection.points:
        if station_id not in domain:
            raise NotFound(STATION_MISSING)
        if point < 1:
            raise NotFound(POINT_MISSING)
        points.add(f"{station_id}#{point}")
    return whole, points


def _users(scope: Scope, selection: Selection) -> tuple[set[str] | None, set[str]]:
    if not (selection.charging_user_ids or selection.user_group_ids or selection.token_ids):
        return None, set()
    users_port = store().users
    users: set[str] = set()
    for user_id in selection.charging_user_ids:
        user = users_port.user(scope.org_id, user_key(user_id))
        if not scope.sees(user):
            raise NotFound(USER_MISSING)
        users.add(user.user_id)
    for group_id in selection.user_group_ids:
        if not scope.sees(users_port.user_group(scope.org_id, group_id)):
            raise NotFound(USER_GROUP_MISSING)
        users.update(u.user_id for u in users_port.members_of(scope.org_id, group_id))
    tokens = set()
    for token_id in selection.token_ids:
        token = users_port.token(scope.org_id, token_id)
        if token is None or not scope.sees(users_port.user(scope.org_id, token.user_id)):
            raise NotFound(UNKNOWN_RFID)
        tokens.add(token.token_id)
    return users, tokens


def selection_key(operator: Principal, selection: Selection) -> str:
    """Same selection by the same domain -> same key (a re-request joins the running job)."""
    text = json.dumps([operator.base_path, selection.as_json()], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
