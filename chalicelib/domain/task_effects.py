"""What a scheduled task does (issue 11, the manual's "Schedule tasks"): a station's maximum current, a
charging user's or user group's permission to charge; and how a call to a charger it made ended.

A station-wide limit goes out as a ChargePointMaxProfile on connector 0 (its own purpose, id and stack
level, so load management's TxProfiles neither replace it nor are replaced: the charger obeys the lower),
or, when the configuration template of the station's model names a current-limit key, as a
ChangeConfiguration of that key. A station offline at run time keeps the limit as its one deferred limit
(the latest wins) and gets it after its next Accepted BootNotification (`at_boot`), once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from chalicelib import clock
from chalicelib.domain import charging_users, commands, local_list_updates, user_groups
from chalicelib.domain.errors import STATION_MISSING, DomainError
from chalicelib.observability import logger
from chalicelib.ports.calls import ANSWERED, OFFLINE, OPEN_STATES, Command
from chalicelib.ports.configuration import template_id
from chalicelib.ports.estate import StationRecord
from chalicelib.ports.registry import store
from chalicelib.ports.station_settings import Deferral, DeferredLimit

DONE, SENT, DEFERRED, FAILED = "Done", "Sent", "Deferred", "Failed"
MIN_A = 6  # IEC 61851: the least current a car charges with
MAX_A = 80  # when the station's sockets have no configured power: the most any AC connector takes
# Above this a socket must be three-phase (single-phase AC stops at 32 A, 7.4 kW).
SINGLE_PHASE_MAX_KW = 7.4
VOLTS = 230.0
# A scheduled task's station-wide limit (see the module docstring). The id is out of reach of transaction
# ids, which load management uses as its TxProfiles' ids: a profile of an equal id would replace one.
STATION_MAX_PROFILE_ID = 2**31 - 1
STATION_MAX_STACK_LEVEL = 0
COMMAND_MISSING = "The command sent to the charging station was not found."


@dataclass(frozen=True)
class Effect:
    outcome: str  # "Done" | "Sent" (a command is out; its answer decides) | "Deferred" (station offline) | "Failed"
    detail: str | None = None  # what was done, or the error text an operator reads
    command_id: str | None = None
    replaced: DeferredLimit | None = None  # a limit that waited for the station, never applied: this one replaced it


# --- max current ---------------------------------------------------------------------------------
def max_current_error(org_id: str, station_id: str, amperes: object) -> str | None:
    """Why `amperes` cannot be this station's limit (the text an operator reads); None when it can."""
    station = store().estate.get_station(org_id, station_id) if 0 < len(station_id) <= 64 else None
    if station is None:
        return STATION_MISSING
    return _amperes_error(station, amperes)


def _amperes_error(station: StationRecord, amperes: object) -> str | None:
    top = station_max_a(station)
    if isinstance(amperes, bool) or not isinstance(amperes, int | float) or not math.isfinite(amperes):
        return f"Max current must be a number of amperes between {MIN_A} and {top}."
    if not MIN_A <= amperes <= top:
        return f"Max current must be between {MIN_A} and {top} A."
    if round(amperes, 1) != amperes:
        return "Max current is given in steps of 0.1 A."
    return None


def station_max_a(station: StationRecord) -> int:
    """The most current per phase the station's sockets take, from their configured power (else MAX_A)."""
    kws = [float(s["max_kw"]) for p in station.points or [] for s in _sockets(p) if s.get("max_kw")]
    if not kws:
        return MAX_A
    kw = max(kws)
    phases = 1 if kw <= SINGLE_PHASE_MAX_KW else 3
    return max(MIN_A, min(MAX_A, round(kw * 1000 / (VOLTS * phases))))


def _sockets(point) -> list[dict]:
    point = point.as_dict() if hasattr(point, "as_dict") else point
    return point.get("sockets") or []


def apply_max_current(org_id: str, station_id: str, amperes: float, *, task_id: str | None = None) -> Effect:
    """Send the limit (outcome Sent with the command), or keep it for the station's next boot (Deferred),
    naming the task whose run waits for it."""
    station = store().estate.get_station(org_id, station_id) if 0 < len(station_id) <= 64 else None
    error = _amperes_error(station, amperes) if station is not None else STATION_MISSING
    if error:
        return Effect(FAILED, error)
    now = clock.now()
    action, payload, what = _limit_call(station, amperes, now)
    command = commands.send(org_id, station_id, action, payload)
    if command.state == OFFLINE:
        return deferred(what, store().station_settings.defer_max_current(org_id, station_id, amperes, now, task_id))
    replaced = store().station_settings.take_max_current(org_id, station_id)  # this limit replaces one still waiting
    return Effect(SENT, what, command.command_id, replaced=replaced)


@dataclass(frozen=True)
class OfflineLimit:
    """A limit for a station read as not connected, to be written with the batch's others: the Offline
    record of its call and the deferral; `deferred(what, <the limit the deferral replaced>)` is its effect."""

    command: Command
    deferral: Deferral
    what: str


def deferred(what: str, replaced: DeferredLimit | None) -> Effect:
    return Effect(DEFERRED, f"{what}: the charging station is offline; the limit is applied when it reconnects.",
                  replaced=replaced)


def max_current_offline(station: StationRecord | None, amperes: float, task_id: str, seen: DeferredLimit | None,
                        templates: dict) -> Effect | OfflineLimit:
    """What `apply_max_current` does for a station the caller read (with its deferred limit, `seen`) as not
    connected, without a read or a write of its own: Failed for a bad station or value, else the writes to
    make. `templates` keeps the configuration templates read for the batch."""
    error = _amperes_error(station, amperes) if station is not None else STATION_MISSING
    if error:
        return Effect(FAILED, error)
    now = clock.now()
    action, payload, what = _limit_call(station, amperes, now, templates)
    command = commands.not_sent(station.org_id, station.station_id, action, payload)
    return OfflineLimit(command, Deferral(station.org_id, station.station_id, amperes, now, task_id, seen), what)


def _limit_call(station: StationRecord, amperes: float, now: datetime, templates: dict | None = None) -> tuple[str, dict, str]:
    key = _current_limit_key(station, templates if templates is not None else {})
    if key is not None:
        value = _number(amperes)
        return "ChangeConfiguration", {"key": key, "value": value}, f"{key} set to {value}"
    return "SetChargingProfile", station_max_profile(amperes, now), f"Station limited to {_number(amperes)} A"


def _current_limit_key(station: StationRecord, templates: dict) -> str | None:
    if not (station.vendor and station.model):
        return None
    key = (station.org_id, template_id(station.vendor, station.model))
    if key not in templates:
        templates[key] = store().configuration.template(*key)
    template = templates[key]
    return template.current_limit_key if template is not None else None


def station_max_profile(amperes: float, start: datetime) -> dict:
    """SetChargingProfile's payload: a ChargePointMaxProfile capping the whole station from `start` on."""
    schedule = {"chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": amperes}],
                "startSchedule": clock.rfc3339(start)}
    profile = {"chargingProfileId": STATION_MAX_PROFILE_ID, "stackLevel": STATION_MAX_STACK_LEVEL,
               "chargingProfilePurpose": "ChargePointMaxProfile", "chargingProfileKind": "Absolute",
               "chargingSchedule": schedule}
    return {"connectorId": 0, "csChargingProfiles": profile}


def _number(amperes: float) -> str:
    return str(int(amperes)) if float(amperes).is_integer() else str(amperes)


def at_boot(org_id: str, station_id: str) -> tuple[DeferredLimit, Effect] | None:
    """After the answer to an Accepted BootNotification: send the limit deferred while the station was away
    (with the task it came from, whose waiting run now follows this command)."""
    deferred = store().station_settings.take_max_current(org_id, station_id)
    if deferred is None:
        return None
    effect = apply_max_current(org_id, station_id, deferred.amperes, task_id=deferred.task_id)
    logger.info("deferred max current applied", extra={"station_id": station_id, "outcome": effect.outcome,
                                                       "command_id": effect.command_id, "task_id": deferred.task_id})
    return deferred, effect


# --- charging permissions ------------------------------------------------------------------------
def set_charging_user_active(org_id: str, charging_user_id: str, active: bool) -> Effect:
    try:
        user = charging_users.set_active(org_id, charging_user_id, active)
    except DomainError as exc:
        return Effect(FAILED, exc.message)
    return Effect(DONE, f"Charging user {user.user_id} is {_state(active)}." + _lists(org_id, [user]))


def set_user_group_active(org_id: str, user_group_id: str, active: bool) -> Effect:
    try:
        group = user_groups.set_active(org_id, user_group_id, active)
    except DomainError as exc:
        return Effect(FAILED, exc.message)
    members = store().users.members_of(org_id, group.user_group_id)
    return Effect(DONE, f"Charging user group {group.name} is {_state(active)}." + _lists(org_id, members))


def _state(active: bool) -> str:
    return "active" if active else "inactive"


def _lists(org_id: str, users: list) -> str:
    sent = local_list_updates.push(org_id, users, clock.now())
    if not sent:
        return ""
    stations = sorted({c.station_id for c in sent})
    return f" Local authorization list updated on {len(stations)} charging station(s): {', '.join(stations)}."


# --- following a command -------------------------------------------------------------------------
def command_effect(org_id: str, station_id: str, command_id: str) -> Effect:
    """Sent while the call waits for its answer; Done when the charger accepted; Failed with the reason."""
    command = commands.find(org_id, station_id, command_id)
    if command is None:
        return Effect(FAILED, COMMAND_MISSING, command_id)
    if command.state in OPEN_STATES:
        return Effect(SENT, f"{command.action} {command.state.lower()}.", command_id)
    status = (command.response or {}).get("status")
    if commands.succeeded(command):
        return Effect(DONE, f"{command.action}: the charging station answered {status or 'with no status'}.", command_id)
    if command.state == ANSWERED:
        return Effect(FAILED, f"{command.action}: the charging station answered {status}.", command_id)
    return Effect(FAILED, f"{command.action} {command.state}: {command.error or 'no answer'}", command_id)
