"""Load management (ADR 0017): a group's current limit shared fairly by the charging connectors of its
subtree, sent as one SetChargingProfile (TxProfile) per session, recomputed when a session starts or stops.

A connector under several limited groups (a limited mall inside a limited site) gets the least of its
shares, so no limit is ever exceeded. Stations excluded from load management get no profile and are not
counted: operators leave room for them in the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib.domain import groups, metering, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Invalid, NotFound
from chalicelib.domain.fair_share import Demand, amperes, shares
from chalicelib.observability import logger
from chalicelib.ports.load import GroupLimit, LoadSettings
from chalicelib.ports.registry import store
from chalicelib.ports.stuck import ActiveSession

PAGE = 100


@dataclass(frozen=True)
class Assignment:
    """One session's new current limit: what one SetChargingProfile carries."""

    station_id: str
    connector_id: int
    transaction_id: int
    limit_a: float
    phases: int


def limited_ancestors(group_path: str | None, settings: LoadSettings) -> list[GroupLimit]:
    """The limits of the groups a station is in (its own and every ancestor), outermost first."""
    ids = [g for g in (group_path or "").split("/") if g]
    return [settings.limits[g] for g in ids if g in settings.limits]


def allocation(org_id: str, station_id: str) -> list[Assignment]:
    """The current limit of every charging session that shares a limit with this station (none: no limit)."""
    settings = store().load.settings(org_id)
    if not settings.limits:
        return []
    station = store().estate.get_station(org_id, station_id)
    return _allocation(org_id, station.group_path if station else None, settings)


def _allocation(org_id: str, group_path: str | None, settings: LoadSettings) -> list[Assignment]:
    """Every session under the outermost limited group on `group_path` (a station's or a group's)."""
    outer = limited_ancestors(group_path, settings)
    if not outer:
        return []
    prefix = group_path[: group_path.index(f"/{outer[0].group_id}/") + len(outer[0].group_id) + 2]
    stations = {s.station_id: s for s in _subtree(org_id, prefix) if s.station_id not in settings.excluded}
    sessions = [a for a in store().stuck.active_sessions(org_id) if a.station_id in stations]
    return _assign(sessions, stations, settings)


def _assign(sessions: list[ActiveSession], stations: dict, settings: LoadSettings) -> list[Assignment]:
    best: dict[tuple[str, int], float] = {}
    phases: dict[tuple[str, int], int] = {}
    for limit in settings.limits.values():
        inside = [a for a in sessions if f"/{limit.group_id}/" in (stations[a.station_id].group_path or "")]
        demands = [_demand(a, stations[a.station_id], limit) for a in inside]
        for key, amps in shares(limit.limit_a, demands, limit.min_a).items():
            best[key] = min(amps, best.get(key, amps))
            phases[key] = min(limit.phases, phases.get(key, limit.phases))
    by_key = {(a.station_id, a.connector_id): a for a in sessions}
    return [Assignment(k[0], k[1], by_key[k].transaction_id, amps, phases[k]) for k, amps in sorted(best.items())]


def _demand(session: ActiveSession, station, limit: GroupLimit) -> Demand:
    watts = metering.configured_powers(station.points).get(session.connector_id)
    return Demand((session.station_id, session.connector_id), session.started_at.timestamp(),
                  amperes(watts / 1000 if watts else None, limit.phases))


def _subtree(org_id: str, prefix: str) -> list:
    found, cursor = [], None
    while True:
        page = store().estate.page_in_subtree(org_id, prefix, PAGE, cursor, None)
        found.extend(page.items)
        cursor = page.cursor
        if not cursor:
            return found


def rebalance(org_id: str, station_id: str, payload_of: Callable[[Assignment], dict], group_path: str | None = None) -> list:
    """Send each session sharing a limit with this station (or, with `group_path`, that group) its new
    profile (`payload_of` builds the SetChargingProfile payload); a failure is logged, never raised: this
    runs after a StartTransaction or StopTransaction was answered, or after a limit changed."""
    try:
        if group_path is None:
            assignments = allocation(org_id, station_id)
        else:
            assignments = _allocation(org_id, group_path, store().load.settings(org_id))
    except Exception:  # noqa: BLE001 - load management must never break the charger's session
        logger.exception("load management not recomputed", extra={"org_id": org_id, "station_id": station_id})
        return []
    return [sent for sent in (_send(org_id, a, payload_of) for a in assignments) if sent is not None]


def _send(org_id: str, assignment: Assignment, payload_of: Callable[[Assignment], dict]):
    from chalicelib.domain import commands

    try:
        return commands.send(org_id, assignment.station_id, "SetChargingProfile", payload_of(assignment))
    except Exception:  # noqa: BLE001 - one station's failure must not keep the others from their share
        logger.exception("charging profile not sent", extra={"station_id": assignment.station_id,
                                                            "transaction_id": assignment.transaction_id})
        return None


# --- what operators see and set ---------------------------------------------------------------------------
NO_LIMIT = "The charging group has no power limit."


@dataclass(frozen=True)
class StationLoad:
    station_id: str
    excluded: bool
    limits: list[GroupLimit]  # the limits of its group and every ancestor, outermost first


def group_limit(principal: Principal, group_id: str) -> GroupLimit:
    group = groups.visible(principal, group_id)
    limit = store().load.settings(principal.org_id).limits.get(group.group_id)
    if limit is None:
        raise NotFound(NO_LIMIT)
    return limit


def set_group_limit(principal: Principal, group_id: str, limit_a: float, phases: int, min_a: float) -> GroupLimit:
    """Admins only (the route says so); the edge re-shares the group's sessions at once (`rebalance`)."""
    group = groups.visible(principal, group_id)
    if min_a > limit_a:
        raise Invalid("The minimum current cannot be above the limit.")
    limit = GroupLimit(group.group_id, limit_a, phases, min_a)
    store().load.set_limit(principal.org_id, limit)
    return limit


def group_path(principal: Principal, group_id: str) -> str:
    return groups.visible(principal, group_id).path


def clear_group_limit(principal: Principal, group_id: str) -> None:
    group = groups.visible(principal, group_id)
    if not store().load.clear_limit(principal.org_id, group.group_id):
        raise NotFound(NO_LIMIT)


def station_load(principal: Principal, station_id: str) -> StationLoad:
    station = station_view.visible(principal, station_id)
    settings = store().load.settings(principal.org_id)
    return StationLoad(station.station_id, station.station_id in settings.excluded,
                       limited_ancestors(station.group_path, settings))


def set_station_excluded(principal: Principal, station_id: str, excluded: bool) -> StationLoad:
    station = station_view.visible(principal, station_id)
    store().load.set_excluded(principal.org_id, station.station_id, excluded)
    return station_load(principal, station_id)
