"""What operators set on a station beyond its name and group: EVSE metadata, registration, maintenance.

Registration (OCPP 1.6 section 4.2) is the answer a station's BootNotification gets. A connected
station learns a change at once: its connection is closed, so it reconnects and boots into its new status.
Maintenance disables a station: all its connectors Inoperative, remote starts refused, shown Disabled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain import emi3
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import STATION_MISSING, Conflict, Invalid, NotFound
from chalicelib.domain.station_view import details, visible
from chalicelib.observability import logger
from chalicelib.ports.chargers import ChargerGone
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.errors import NotFound as Gone
from chalicelib.ports.registry import store
from chalicelib.ports.station_settings import CodeTaken, Metadata

REGISTRATIONS = ("Accepted", "Pending", "Rejected")
EVSE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._*-]{0,47}$")
BAD_EVSE_CODE = "EVSE code may contain only letters, digits and '-', '_', '.', '*' (at most 48)."
EVSE_CODE_TAKEN = "EVSE code is already used by another charging station of your organization."


@dataclass(frozen=True)
class MetadataEdit:
    evse_code: str | None
    evse_name: str | None
    emi3_id: str | None
    roaming: bool


def set_metadata(principal: Principal, station_id: str, edit: MetadataEdit, version: int):
    """EVSE code (unique in the organization, without case), EVSE name, eMI3 id and the roaming flag."""
    code = (edit.evse_code or "").strip() or None
    if code is not None and not EVSE_CODE.match(code):
        raise Invalid(BAD_EVSE_CODE)
    emi3_id = (edit.emi3_id or "").strip() or None
    if emi3_id is not None:
        reason = emi3.problem(emi3_id)
        if reason:
            raise Invalid(reason)
        emi3_id = emi3.canonical(emi3_id)
    station = visible(principal, station_id, consistent=True)
    if station.revision != version:
        raise Conflict(STATION_MISSING)
    metadata = Metadata(code, (edit.evse_name or "").strip() or None, emi3_id, edit.roaming)
    try:
        store().station_settings.set_metadata(principal.org_id, station_id, version, station.evse_code, metadata)
    except CodeTaken as exc:
        raise Conflict(EVSE_CODE_TAKEN) from exc
    except ConditionFailed as exc:
        raise Conflict(STATION_MISSING) from exc
    return details(principal, station_id)


def set_registration(principal: Principal, station_id: str, registration: str):
    """Accept, hold (Pending) or reject a station; a connected one learns it at once (module docstring)."""
    station = visible(principal, station_id, consistent=True)
    _settings(lambda s: s.set_registration(principal.org_id, station_id, registration))
    if station.registration != registration:
        logger.info("registration changed", extra={"station_id": station_id, "from": station.registration, "to": registration})
        disconnect(principal.org_id, station_id)  # it reconnects and boots into the new status
    return details(principal, station_id)


def accepts_remote_start(org_id: str, station_id: str) -> bool:
    """Whether a RemoteStartTransaction may be sent: the station exists, is Accepted and not disabled."""
    station = store().estate.get_station(org_id, station_id, consistent=True)
    return station is not None and station.registration == "Accepted" and not station.maintenance


def disconnect(org_id: str, station_id: str, connection_id: str | None = None) -> bool:
    """Close the station's socket if it has one; its $disconnect then clears the connection as usual."""
    connection_id = connection_id or store().connections.current(org_id, station_id)
    if connection_id is None:
        return False
    try:
        store().chargers.close(connection_id)
    except ChargerGone:
        return False
    logger.info("station disconnected by the system", extra={"station_id": station_id, "connection_id": connection_id})
    return True


def _settings(change) -> None:
    try:
        change(store().station_settings)
    except Gone as exc:
        raise NotFound(STATION_MISSING) from exc
