"""What operators see of charging stations: the list, the details and the live status of each point.

A station is in an operator's domain when its group path is under the operator's base group; an
orphan (no group) only for admins whose domain is the whole organization. Anything else answers
exactly like a missing station.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain import groups, point_status, station_power
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import ACCESS_DENIED, STATION_MISSING, Denied, NotFound
from chalicelib.domain.identity import IDENTIFIER
from chalicelib.observability import logger
from chalicelib.ports.estate import StationRecord
from chalicelib.ports.registry import store


@dataclass(frozen=True)
class StationRow:
    station_id: str
    name: str
    group_id: str | None
    group_name: str | None
    point_count: int
    firmware_version: str | None


@dataclass(frozen=True)
class StationLive:
    station_id: str
    connected: bool
    registration: str
    station_status: str | None  # OCPP status of connector 0 (the station itself), if reported
    points: list[point_status.PointStatus]
    maintenance: bool  # disabled by an operator: connectors Inoperative, remote starts refused


@dataclass(frozen=True)
class StationDetails(StationLive):
    name: str
    group_id: str | None
    group_name: str | None
    orphan: bool
    vendor: str | None
    model: str | None
    serial_number: str | None
    box_serial_number: str | None
    firmware_version: str | None
    firmware_status: str | None
    diagnostics_status: str | None
    iccid: str | None
    imsi: str | None
    meter_type: str | None
    meter_serial_number: str | None
    connected_at: datetime | None
    last_boot_at: datetime | None
    last_seen_at: datetime | None  # the latest contact known: connection, boot or disconnection
    created_at: datetime | None
    point_count: int
    version: int
    evse_code: str | None
    evse_name: str | None
    emi3_id: str | None
    roaming: bool
    current_power_kw: float | None


def can_see(principal: Principal, group_path: str | None) -> bool:
    if group_path:
        return principal.covers(group_path)
    return principal.is_admin and principal.is_org_root


def visible(principal: Principal, station_id: str, consistent: bool = False) -> StationRecord:
    """The station if it is in the operator's domain; NotFound otherwise."""
    station = store().estate.get_station(principal.org_id, station_id, consistent) if IDENTIFIER.match(station_id or "") else None
    if station is None or not can_see(principal, station.group_path):
        raise NotFound(STATION_MISSING)
    return station


def page(principal: Principal, limit: int, cursor: str | None, q: str | None, group_id: str | None, orphans: bool):
    """One page of the stations of the domain (or of one group's subtree, or the orphans): one Query."""
    estate = store().estate
    if orphans:
        if not (principal.is_admin and principal.is_org_root):
            raise Denied(ACCESS_DENIED)
        found = estate.page_of_orphans(principal.org_id, limit, cursor, q)
    else:
        found = estate.page_in_subtree(principal.org_id, _subtree(principal, group_id), limit, cursor, q)
    names = estate.group_names(principal.org_id, {s.group_id for s in found.items if s.group_id})
    rows = [
        StationRow(s.station_id, s.name, s.group_id, names.get(s.group_id), s.point_count, s.firmware_version)
        for s in found.items
    ]
    return rows, found.cursor


def live_page(principal: Principal, limit: int, cursor: str | None, group_id: str | None):
    """One page of a group's stations (its whole subtree; default the domain) each with its points' live
    status: what the dashboard's group view polls, one request instead of one per station. The page's
    index items lack the connection state, so each station is read whole (as its own status route does)."""
    estate = store().estate
    found = estate.page_in_subtree(principal.org_id, _subtree(principal, group_id), limit, cursor, None)
    stations = [estate.get_station(principal.org_id, s.station_id) for s in found.items]
    return [(s, _live(s)) for s in stations if s is not None], found.cursor


def _subtree(principal: Principal, group_id: str | None) -> str:
    return groups.visible(principal, group_id).path if group_id is not None else principal.base_path


def details(principal: Principal, station_id: str) -> StationDetails:
    estate = store().estate
    station = estate.get_station(principal.org_id, station_id) if IDENTIFIER.match(station_id or "") else None
    group = estate.get_group(principal.org_id, station.group_id) if station and station.group_id else None
    if station is not None and group is not None and group.path != station.group_path:
        estate.heal_path(station.org_id, station.station_id, station.group_path, group.path)
        station = replace(station, group_path=group.path)
    if station is None or not can_see(principal, station.group_path):
        raise NotFound(STATION_MISSING)
    live = _live(station)
    contacts = [t for t in (station.last_seen_at, station.connected_at, station.last_boot_at, _last_active(station))
                if t is not None]
    return StationDetails(
        **live.__dict__,
        name=station.name,
        group_id=station.group_id,
        group_name=group.name if group else None,
        orphan=station.group_id is None,
        vendor=station.vendor,
        model=station.model,
        serial_number=station.serial_number,
        box_serial_number=station.box_serial_number,
        firmware_version=station.firmware_version,
        firmware_status=station.firmware_status,
        diagnostics_status=station.diagnostics_status,
        iccid=station.iccid,
        imsi=station.imsi,
        meter_type=station.meter_type,
        meter_serial_number=station.meter_serial_number,
        connected_at=station.connected_at,
        last_boot_at=station.last_boot_at,
        last_seen_at=max(contacts) if contacts else None,
        created_at=station.created_at,
        point_count=station.point_count,
        version=station.revision,
        evse_code=station.evse_code,
        evse_name=station.evse_name,
        emi3_id=station.emi3_id,
        roaming=station.roaming,
        current_power_kw=_power(station, live),
    )


def _last_active(station: StationRecord) -> datetime | None:
    """A connected station's latest frame, as the gateway knows it (API Gateway's LastActiveAt): read when an
    operator looks, so that no charger frame pays a write for it. None when unknown or not connected."""
    if not station.connected:
        return None
    connection_id = store().connections.current(station.org_id, station.station_id)
    if connection_id is None:
        return None
    try:
        return store().chargers.last_active(connection_id)
    except Exception:  # noqa: BLE001 - the details must show without it (no gateway configured, throttled)
        logger.warning("last activity not read from the gateway", extra={"station_id": station.station_id}, exc_info=True)
        return None


def live(principal: Principal, station_id: str) -> StationLive:
    return _live(visible(principal, station_id))


def _live(station: StationRecord) -> StationLive:
    reported = [
        point_status.Reported(s.connector_id, s.status, s.error_code, s.info, s.timestamp)
        for s in store().estate.connector_states(station.org_id, station.station_id)
    ]
    connected = station.connected
    registration = station.registration
    points = point_status.points(list(station.points), station.point_count, reported, connected, registration, station.maintenance)
    whole = next((r.status for r in reported if r.connector_id == 0), None)
    return StationLive(station.station_id, connected, registration, whole, points, station.maintenance)


def _power(station: StationRecord, live: StationLive) -> float | None:
    if not live.connected:
        return 0.0
    statuses = {p.point: p.ocpp_status for p in live.points if p.ocpp_status}
    return station_power.current_power_kw(station.org_id, station.station_id, statuses, station.point_count)
