"""A station's configuration keys (the manual's advanced settings): read and search them, refresh them
with GetConfiguration, change one with ChangeConfiguration, and what the charger's answers change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain import commands, station_view
from chalicelib.domain import configuration_rules as rules
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Invalid
from chalicelib.ports.calls import ANSWERED, OPEN_STATES, Command
from chalicelib.ports.configuration import ConfigKey, StationConfig, template_id
from chalicelib.ports.registry import store

CONFIG_ERROR = "Charging point configuration error."


@dataclass(frozen=True)
class KeyRow:
    key: str
    value: str | None
    readonly: bool
    reported: bool
    recommended: str | None
    desired: str | None
    origin: str | None
    drift: bool
    status: str | None
    status_at: datetime | None


@dataclass(frozen=True)
class ConfigurationView:
    station_id: str
    source: str
    template_id: str | None  # the template of the station's charger model, if the organization has one
    applied_template_id: str | None
    applying: int  # template changes still waiting for the charger's answer
    refreshed_at: datetime | None
    unknown_keys: list[str]
    drift: int
    keys: list[KeyRow]


@dataclass(frozen=True)
class DriftRow:
    station_id: str
    name: str
    group_id: str | None
    keys: int
    since: datetime


def row(key: ConfigKey) -> KeyRow:
    return KeyRow(key.key, key.value, key.readonly, key.reported, key.recommended, key.desired, rules.origin(key),
                  rules.drifts(key), key.status, key.status_at)


def view(principal: Principal, station_id: str, q: str | None = None, drift_only: bool = False) -> ConfigurationView:
    """The station's keys (those containing `q`, case-insensitive; or only the drifting ones) and its source."""
    station = station_view.visible(principal, station_id)
    port = store().configuration
    keys = port.keys(station.org_id, station_id)
    meta = port.meta(station.org_id, station_id)
    model_template = None
    if station.vendor and station.model:
        model_template = port.template(station.org_id, template_id(station.vendor, station.model))
    needle = (q or "").casefold()
    shown = [k for k in keys if needle in k.key.casefold() and (not drift_only or rules.drifts(k))]
    return ConfigurationView(
        station_id, rules.source(keys), model_template.template_id if model_template else None, meta.template_id,
        len(meta.applying), meta.refreshed_at, list(meta.unknown_keys), sum(rules.drifts(k) for k in keys),
        [row(k) for k in shown],
    )


def drifting(principal: Principal) -> list[DriftRow]:
    """The stations of the operator's domain whose active configuration is not the desired one."""
    estate = store().estate
    rows = []
    for drift in store().configuration.drifting(principal.org_id):
        station = estate.get_station(principal.org_id, drift.station_id)
        if station is not None and station_view.can_see(principal, station.group_path):
            rows.append(DriftRow(drift.station_id, station.name, station.group_id, drift.keys, drift.since))
    return rows


def refresh(principal: Principal, station_id: str, wait_s: int = 0) -> Command:
    """Ask the charger for its whole configuration (GetConfiguration); the answer is stored by its hook."""
    station = station_view.visible(principal, station_id)
    command = commands.send(station.org_id, station_id, "GetConfiguration", {}, operator_id=principal.username)
    command = commands.waited(command, wait_s)
    _apply(command)
    return command


def change(principal: Principal, station_id: str, key: str, value: str, now: datetime, wait_s: int = 0) -> tuple[Command, KeyRow]:
    """Send ChangeConfiguration for one key; a key the charger reports read-only is refused before sending.

    The operator's value becomes the key's desired value at once, so a change the charger refuses or
    never receives shows as drift."""
    station = station_view.visible(principal, station_id)
    port = store().configuration
    old = port.key(station.org_id, station_id, key)
    if old is not None and old.readonly:
        raise Invalid(CONFIG_ERROR)
    payload = {"key": key, "value": value}
    commands.validate("ChangeConfiguration", payload)  # OCPP's lengths, before the wish is recorded
    wish = rules.wished(old, key, value)
    port.put_keys(station.org_id, station_id, [wish])
    note_drift(station.org_id, station_id, now)
    command = commands.send(station.org_id, station_id, "ChangeConfiguration", payload, operator_id=principal.username)
    command = commands.waited(command, wait_s)
    _apply(command)
    return command, row(port.key(station.org_id, station_id, key) or wish)


def failure(command: Command) -> str | None:
    """The manual's text beside a configuration command that ended without the charger taking it."""
    if command.state in OPEN_STATES or commands.succeeded(command):
        return None
    return CONFIG_ERROR


def _apply(command: Command) -> None:
    """Store an answer seen by `wait` here too: the answer's hook runs in the invocation that received
    it, possibly after this one saw the record complete. Both write the same values."""
    answer = command.response or {}
    if command.state != ANSWERED or not answer:
        return
    at = command.completed_at or command.created_at
    if command.action == "GetConfiguration":
        asked = list(command.payload.get("key") or [])
        got(command.org_id, command.station_id, asked, answer.get("configurationKey") or [], answer.get("unknownKey") or [], at)
    elif command.action == "ChangeConfiguration":
        changed(command.org_id, command.station_id, command.payload["key"], command.payload["value"], answer["status"], at)


# --- the charger's answers (hooks of protocol/v16/outbound/get_configuration.py, change_configuration.py) ---
def got(org_id: str, station_id: str, asked: list[str], entries: list[dict], unknown: list[str], at: datetime) -> None:
    """A GetConfiguration answer: keys (key, readonly, value) and the unknown keys among those asked for."""
    port = store().configuration
    stored = {k.key: k for k in port.keys(org_id, station_id)}
    writes, deletes = rules.reported(stored, entries, full=not asked)
    port.put_keys(org_id, station_id, writes)
    port.delete_keys(org_id, station_id, deletes)
    meta = port.meta(org_id, station_id)
    port.put_meta(org_id, station_id, _refreshed(meta, at, unknown))
    note_drift(org_id, station_id, at)


def changed(org_id: str, station_id: str, key: str, value: str, status: str, at: datetime) -> None:
    """A ChangeConfiguration answer: Accepted and RebootRequired make the value active; every status is shown."""
    port = store().configuration
    port.put_keys(org_id, station_id, [rules.answered(port.key(org_id, station_id, key), key, value, status, at)])
    note_drift(org_id, station_id, at)


def note_drift(org_id: str, station_id: str, now: datetime) -> None:
    """Keep the organization's drift list in step with the station's keys."""
    port = store().configuration
    port.set_drift(org_id, station_id, sum(rules.drifts(k) for k in port.keys(org_id, station_id)), now)


def _refreshed(meta: StationConfig, at: datetime, unknown: list[str]) -> StationConfig:
    return replace(meta, refreshed_at=at, unknown_keys=tuple(unknown))
