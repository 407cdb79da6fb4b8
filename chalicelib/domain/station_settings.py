"""What operators set on a station beyond its name and group: EVSE metadata, registration, maintenance.

Registration (OCPP 1.6 section 4.2) is the answer a station's BootNotification gets. A connected
station learns a change at once: made Accepted, it is asked for a BootNotification (TriggerMessage; a
Pending station boots again within a minute anyway); made Pending or Rejected, its connection is
closed, so it reconnects and boots into its new status.
Maintenance disables a station: ChangeAvailability Inoperative for connector 0 (all connectors; queued
until it connects when it is offline), remote starts refused, its points shown Disabled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chalicelib.domain import commands, emi3
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import STATION_MISSING, Conflict, Invalid, NotFound
from chalicelib.domain.station_view import StationDetails, details, visible
from chalicelib.observability import logger
from chalicelib.ports.calls import Command
from chalicelib.ports.chargers import ChargerGone
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.errors import NotFound as Gone
from chalicelib.ports.registry import store
from chalicelib.ports.station_settings import CodeTaken, Metadata

REGISTRATIONS = ("Accepted", "Pending", "Rejected")
EVSE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._*-]{0,47}$")
BAD_EVSE_CODE = "EVSE code may contain only letters, digits and '-', '_', '.', '*' (at most 48)."
DISABLED = "Charging station is disabled for maintenance: enable it first."
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
        if registration == "Accepted":
            _ask_for_boot(principal, station_id)
        else:
            disconnect(principal.org_id, station_id)  # it reconnects and boots into the new status
    return details(principal, station_id)


def set_maintenance(principal: Principal, station_id: str, disabled: bool) -> tuple[StationDetails, Command]:
    """Disable a station for maintenance (or enable it again): the flag, and ChangeAvailability for
    all its connectors, queued for its next connection when it is offline."""
    visible(principal, station_id, consistent=True)
    _settings(lambda s: s.set_maintenance(principal.org_id, station_id, disabled))
    kind = "Inoperative" if disabled else "Operative"
    command = commands.send(principal.org_id, station_id, "ChangeAvailability", {"connectorId": 0, "type": kind},
                            operator_id=principal.username, queue=True)  # fmt: skip
    logger.info("maintenance " + ("on" if disabled else "off"), extra={"station_id": station_id, "command_id": command.command_id})
    return details(principal, station_id), command


def set_availability(principal: Principal, station_id: str, available: bool, wait_s: float) -> Command:
    """All connectors available or unavailable now (ChangeAvailability for connector 0); not queued."""
    station = visible(principal, station_id, consistent=True)
    if available and station.maintenance:
        raise Conflict(DISABLED)
    kind = "Operative" if available else "Inoperative"
    command = commands.send(principal.org_id, station_id, "ChangeAvailability", {"connectorId": 0, "type": kind},
                            operator_id=principal.username)  # fmt: skip
    return commands.waited(command, wait_s)


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


def _ask_for_boot(principal: Principal, station_id: str) -> None:
    """A connected station is asked for a BootNotification, whose answer tells it it is Accepted."""
    if store().connections.current(principal.org_id, station_id) is None:
        return  # it boots when it connects
    commands.send(principal.org_id, station_id, "TriggerMessage", {"requestedMessage": "BootNotification"},
                  operator_id=principal.username)  # fmt: skip


def _settings(change) -> None:
    try:
        change(store().station_settings)
    except Gone as exc:
        raise NotFound(STATION_MISSING) from exc
