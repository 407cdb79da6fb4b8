"""Remote commands as operators issue them: rights, the station's domain, conveniences, and waiting a little."""

from __future__ import annotations

from datetime import datetime

from chalicelib import clock
from chalicelib.domain import commands, station_settings, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, Invalid
from chalicelib.ports.calls import OPEN_STATES, Command
from chalicelib.ports.paging import Page
from chalicelib.ports.registry import store

# The manual: basic operators may issue every command but firmware updates and configuration changes.
ADMIN_ONLY = frozenset({"UpdateFirmware", "ChangeConfiguration"})
FAILED = "Remote command execution failed."
NO_TRANSACTION = "No active transaction on charging point {connector}."
# A disabled (maintenance), Pending or Rejected station takes no remote start (OCPP 1.6 §4.2 for Pending).
START_REFUSED = FAILED + " The charging station is disabled or its registration is not Accepted."
# A local list holds at most this many idTags here (chargers advertise less, e.g. LocalAuthListMaxLength 100-1000).
LOCAL_LIST_MAX = 1000


def issue(
    principal: Principal,
    station_id: str,
    action: str,
    payload: dict,
    *,
    wait_s: float = 0,
    queue: bool = False,
    timeout_s: int = 60,
) -> Command:
    """Send `action` to a station of the operator's domain; the record after at most `wait_s` seconds."""
    if action in ADMIN_ONLY:
        principal.require_admin()
    station = station_view.visible(principal, station_id)
    if action == "RemoteStartTransaction" and not station_settings.accepts_remote_start(station.org_id, station.station_id):
        raise Conflict(START_REFUSED)
    payload = _completed(station.org_id, station.station_id, action, payload)
    command = commands.send(
        station.org_id, station.station_id, action, payload,
        operator_id=principal.username, queue=queue, timeout_s=timeout_s,
    )
    return commands.waited(command, wait_s)


def show(principal: Principal, station_id: str, command_id: str) -> Command:
    station = station_view.visible(principal, station_id)
    return commands.get(station.org_id, station.station_id, command_id)


def history(principal: Principal, station_id: str, limit: int, cursor: str | None) -> Page[Command]:
    station = station_view.visible(principal, station_id)
    return commands.history(station.org_id, station.station_id, limit, cursor)


def failure(command: Command) -> str | None:
    """The manual's text for a command that did not do what it was asked; None while open or when it did."""
    if command.state in OPEN_STATES or commands.succeeded(command):
        return None
    return FAILED


# --- payloads the system fills in ------------------------------------------------------------------


def _completed(org_id: str, station_id: str, action: str, payload: dict) -> dict:
    if action == "RemoteStopTransaction" and isinstance(payload, dict) and set(payload) == {"connectorId"}:
        return _stop_on_connector(org_id, station_id, payload["connectorId"])
    if action == "SendLocalList" and payload == {}:
        return local_list(org_id, station_id, clock.now())
    return payload


def _stop_on_connector(org_id: str, station_id: str, connector_id: object) -> dict:
    if type(connector_id) is not int or connector_id < 1:
        raise commands.InvalidCommand("RemoteStopTransaction payload: connectorId must be a charging point number (1 or more)")
    session = store().records.active_session(org_id, station_id, connector_id)
    if session is None:
        raise Invalid(NO_TRANSACTION.format(connector=connector_id))
    return {"transactionId": session.transaction_id}


def local_list(org_id: str, station_id: str, now: datetime) -> dict:
    """A full SendLocalList: every token of the charging users with access to the station, with its status now.

    The version is the time in seconds: it grows with every list sent, with no counter to keep."""
    users = _users_with_access(org_id, station_id)
    groups = store().users.user_groups_by_id(org_id, {u.user_group_id for u in users if u.user_group_id})
    entries = []
    for user in users:
        group = groups.get(user.user_group_id) if user.user_group_id else None
        usable = user.active and (group is None or group.active)
        for token in store().users.tokens_of(org_id, user.user_id):
            entries.append({"idTag": token.token_id, "idTagInfo": tag_info(usable, token, now)})
            if len(entries) >= LOCAL_LIST_MAX:
                break
    return {"listVersion": int(now.timestamp()), "updateType": "Full", "localAuthorizationList": entries[:LOCAL_LIST_MAX]}


def _users_with_access(org_id: str, station_id: str) -> list:
    path = store().users.station_paths(org_id, [station_id]).get(station_id) or ""

    def may_charge_here(user) -> bool:
        if station_id in user.access_station_ids:
            return True
        return any(f"/{group_id}/" in path for group_id in user.access_group_ids)

    users, cursor = [], None
    while True:
        page = store().users.users_page(org_id, 100, cursor, None, None, keep=may_charge_here)
        users += page.items
        cursor = page.cursor
        if cursor is None or len(users) >= LOCAL_LIST_MAX:
            return users


def tag_info(usable: bool, token, now: datetime) -> dict:
    """The idTagInfo the charger keeps: what Authorize would answer now (domain/authorization.py)."""
    if not usable or token.status != "Active":
        return {"status": "Blocked"}
    if token.valid_from is not None and now < token.valid_from:
        return {"status": "Invalid"}
    if token.valid_to is not None and now >= token.valid_to:
        return {"status": "Expired"}
    info: dict = {"status": "Accepted"}
    if token.valid_to is not None:
        info["expiryDate"] = clock.rfc3339(token.valid_to)
    return info
