"""Configuration templates (SAP E-Mobility help): recommended keys per charger model, applied to a station
while its registration is Pending (then it is Accepted) and again by "Use System Configuration"."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.domain import commands, configuration, station_view
from chalicelib.domain import configuration_rules as rules
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import ACCESS_DENIED, Conflict, Denied, NotFound
from chalicelib.observability import logger
from chalicelib.ports import errors as storage
from chalicelib.ports.calls import OPEN_STATES, Command
from chalicelib.ports.configuration import StationConfig, Template, template_id
from chalicelib.ports.registry import store

TEMPLATE_MISSING = "Configuration template does not exist."
TEMPLATE_EXISTS = "A configuration template already exists for this charger model."
TEMPLATE_STALE = "The configuration template was changed by another operator. Refresh the page and try again."
NO_TEMPLATE = "No configuration template for this charger model."


# --- the organization's templates: every operator reads them, admins of the whole organization write ----
def listed(principal: Principal) -> list[Template]:
    return store().configuration.templates(principal.org_id)


def get(principal: Principal, template_id_: str) -> Template:
    found = store().configuration.template(principal.org_id, template_id_)
    if found is None:
        raise NotFound(TEMPLATE_MISSING)
    return found


def create(principal: Principal, vendor: str, model: str, keys: dict[str, str], now: datetime,
           current_limit_key: str | None = None) -> Template:
    _writer(principal)
    try:
        return store().configuration.put_template(Template(principal.org_id, vendor, model, keys, 0, now, current_limit_key))
    except storage.AlreadyExists as exc:
        raise Conflict(TEMPLATE_EXISTS) from exc


def update(principal: Principal, template_id_: str, keys: dict[str, str], version: int, now: datetime,
           current_limit_key: str | None = None) -> Template:
    _writer(principal)
    old = get(principal, template_id_)
    try:
        changed = replace(old, keys=keys, version=version, updated_at=now, current_limit_key=current_limit_key)
        return store().configuration.put_template(changed)
    except storage.NotFound as exc:
        raise NotFound(TEMPLATE_MISSING) from exc
    except storage.ConditionFailed as exc:
        raise Conflict(TEMPLATE_STALE) from exc


def delete(principal: Principal, template_id_: str) -> None:
    _writer(principal)
    try:
        store().configuration.delete_template(principal.org_id, template_id_)
    except storage.NotFound as exc:
        raise NotFound(TEMPLATE_MISSING) from exc


def _writer(principal: Principal) -> None:
    """A template acts on every station of its model in the organization: admins of a subtree may not."""
    principal.require_admin()
    if not principal.is_org_root:
        raise Denied(ACCESS_DENIED)


# --- applying a template to a station ---------------------------------------------------------------------
def use_system_configuration(principal: Principal, station_id: str, now: datetime) -> list[Command]:
    """Revert the station to its model's template: every differing key is sent again."""
    station = station_view.visible(principal, station_id)
    found = None
    if station.vendor and station.model:
        found = store().configuration.template(station.org_id, template_id(station.vendor, station.model))
    if found is None:
        raise NotFound(NO_TEMPLATE)
    return apply(station.org_id, station_id, found, now, principal.username)


def at_boot(org_id: str, station_id: str, vendor: str | None, model: str | None, now: datetime) -> list[Command]:
    """After the answer to a Pending station's BootNotification (vendor and model as it reported them):
    apply its model's template, once per station and template."""
    station = store().stations.get(org_id, station_id)
    if station is None or station.registration != "Pending" or not station.group_id or not (vendor and model):
        return []  # an orphan waits for an operator to adopt it
    found = store().configuration.template(org_id, template_id(vendor, model))
    if found is None or store().configuration.meta(org_id, station_id).template_id == found.template_id:
        return []
    logger.info("applying configuration template", extra={"station_id": station_id, "template_id": found.template_id})
    return apply(org_id, station_id, found, now)


def apply(org_id: str, station_id: str, template: Template, now: datetime, operator_id: str | None = None) -> list[Command]:
    """Write the template's keys, then send each change. The keys being changed are recorded before
    anything is sent, so an answer that beats this function still finds its key to settle."""
    port = store().configuration
    writes, sends = rules.planned({k.key: k for k in port.keys(org_id, station_id)}, template)
    port.put_keys(org_id, station_id, writes)
    meta = port.meta(org_id, station_id)
    port.put_meta(org_id, station_id, replace(
        meta, template_id=template.template_id, applied_at=now, applying=frozenset(k for k, _ in sends), failed=frozenset(),
    ))
    configuration.note_drift(org_id, station_id, now)
    sent = []
    for key, value in sends:
        command = commands.send(org_id, station_id, "ChangeConfiguration", {"key": key, "value": value}, operator_id=operator_id)
        if command.state not in OPEN_STATES:
            settled(org_id, station_id, key, ok=False)
        sent.append(command)
    if not sends:
        _finished(org_id, station_id, port.meta(org_id, station_id))
    return sent


def settled(org_id: str, station_id: str, key: str, ok: bool) -> None:
    """A change of the template's key ended; the last one to end accepts a Pending station if none failed."""
    meta = store().configuration.settle(org_id, station_id, key, ok)
    if meta is not None and not meta.applying:
        _finished(org_id, station_id, meta)


def _finished(org_id: str, station_id: str, meta: StationConfig) -> None:
    if meta.failed:
        logger.info("configuration template refused", extra={"station_id": station_id, "keys": sorted(meta.failed)})
        return  # stays Pending: an operator finalizes the registration (SAP help)
    if store().stations.accept_pending(org_id, station_id):
        logger.info("configuration template applied: registration accepted", extra={"station_id": station_id})
