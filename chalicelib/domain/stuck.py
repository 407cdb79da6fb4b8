"""Stuck sessions (ADR 0017): an active session silent longer than a threshold is probed with
TriggerMessage (MeterValues and StatusNotification for its connector); if it is still silent a while
later, the minute job (or an admin) soft-stops it with its last counted register. Every step is recorded.

"Heard" means what the MeterValues path already writes: the session's last counted reading
(`last_sample_at`). Nothing is added to that hot path; the job reads the active-sessions index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain import charging, commands, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.observability import logger
from chalicelib.ports.calls import OPEN_STATES
from chalicelib.ports.registry import store
from chalicelib.ports.stuck import (
    ANSWERED,
    HEARD,
    NO_ANSWER,
    PROBED,
    PROBING,
    RECOVERED,
    SOFT_STOP,
    SOFT_STOPPED,
    Step,
    StuckRecord,
    Watched,
)
from chalicelib.settings import get_settings

NOT_ACTIVE = "The charging session is not active."
SESSION_MISSING = "The charging session does not exist."
TRIGGERED = ("MeterValues", "StatusNotification")

# What the rule says to do with one session now.
NOTHING, PROBE, WAIT, RECOVER, STOP = "nothing", "probe", "wait", "recover", "soft_stop"


@dataclass(frozen=True)
class Policy:
    silence: timedelta  # silent this long: probed
    wait: timedelta  # still silent this long after the probe: soft-stopped

    @classmethod
    def configured(cls) -> Policy:
        settings = get_settings()
        return cls(timedelta(minutes=settings.stuck_silence_minutes), timedelta(minutes=settings.stuck_probe_wait_minutes))


def decide(session: Watched, now: datetime, policy: Policy) -> str:
    """The rule, pure: probe a silent session once, soft-stop it when the probe brought nothing back."""
    if session.state != "Active":
        return NOTHING
    if session.probed_at is None:
        return PROBE if now - session.last_heard_at >= policy.silence else NOTHING
    if session.last_heard_at > session.probed_at:
        return RECOVER
    return STOP if now - session.probed_at >= policy.wait else WAIT


def sweep(now: datetime, policy: Policy | None = None) -> Counter:
    """One run of the minute job over every active session old enough to be silent; counts per action."""
    policy = policy or Policy.configured()
    old = [a.transaction_id for a in store().stuck.active_sessions() if now - a.started_at >= policy.silence]
    done: Counter = Counter()
    for session in store().stuck.watched(old):
        action = decide(session, now, policy)
        try:
            _act(action, session, now)
        except Exception:  # noqa: BLE001 - one session's failure must not keep the others from their turn
            logger.exception("stuck session step failed", extra={"transaction_id": session.transaction_id, "step": action})
            action = "failed"
        done[action] += 1
    return done


def _act(action: str, session: Watched, now: datetime) -> None:
    if action == PROBE:
        probe(session, now)
    elif action == RECOVER:
        _recover(session, now)
    elif action == WAIT:
        _collect_answers(session.org_id, session.station_id, session.transaction_id, now)
    elif action == STOP:
        soft_stop(session.org_id, session.station_id, session.transaction_id, now)


def probe(session: Watched, now: datetime) -> bool:
    """Mark the session probed (once, whatever other run races us), then ask its charger to speak."""
    if not store().stuck.mark_probed(session.transaction_id, session.probed_at, now):
        return False
    station = store().estate.get_station(session.org_id, session.station_id)
    triggers = [_trigger(session, message) for message in TRIGGERED]
    detail = {"last_heard_at": session.last_heard_at.isoformat(), "register_wh": session.last_register_wh,
              "commands": triggers}
    store().stuck.open(StuckRecord(
        session.org_id, session.station_id, session.transaction_id, session.connector_id,
        station.group_path if station else None, PROBING, now, (Step(PROBED, now, detail),),
    ))
    logger.info("stuck session probed", extra={"station_id": session.station_id, "transaction_id": session.transaction_id})
    return True


def _trigger(session: Watched, message: str) -> dict:
    """Send one TriggerMessage; what happened to it (a send failure is recorded, not raised)."""
    payload = {"requestedMessage": message, "connectorId": session.connector_id}
    try:
        command = commands.send(session.org_id, session.station_id, "TriggerMessage", payload)
    except Exception as exc:  # noqa: BLE001 - the probe is recorded even when the charger cannot be reached
        return {"message": message, "command_id": None, "state": "Failed", "error": str(exc)[:200]}
    return {"message": message, "command_id": command.command_id, "state": command.state}


def _recover(session: Watched, now: datetime) -> None:
    """Heard again after the probe: the mark is cleared (a later silence is probed anew) and the step kept."""
    if not store().stuck.mark_probed(session.transaction_id, session.probed_at, None):
        return
    _collect_answers(session.org_id, session.station_id, session.transaction_id, now)
    step = Step(HEARD, now, {"last_heard_at": session.last_heard_at.isoformat(), "register_wh": session.last_register_wh})
    _advance(session.org_id, session.station_id, session.transaction_id, RECOVERED, step)


def _collect_answers(org_id: str, station_id: str, transaction_id: int, now: datetime) -> None:
    """Record the charger's answers to the probe's TriggerMessages that completed since the last look."""
    record = store().stuck.get(org_id, station_id, transaction_id)
    if record is None:
        return
    probes = [s for s in record.steps if s.kind == PROBED]
    seen = {s.detail.get("command_id") for s in record.steps if s.kind in (ANSWERED, NO_ANSWER)}
    pending = [c for c in (probes[-1].detail.get("commands") or []) if c.get("command_id") and c["command_id"] not in seen] if probes else []
    for sent in pending:
        command = commands.find(org_id, station_id, sent["command_id"])
        if command is None or command.state in OPEN_STATES:
            continue
        detail = {"command_id": command.command_id, "message": sent["message"], "state": command.state,
                  "status": (command.response or {}).get("status"), "error": command.error}
        kind = ANSWERED if command.state == "Answered" else NO_ANSWER
        store().stuck.advance(org_id, station_id, transaction_id, None, Step(kind, now, detail))


def soft_stop(org_id: str, station_id: str, transaction_id: int, now: datetime, operator_id: str | None = None) -> StuckRecord:
    """Close the session with its last counted register and record it; Conflict when it is not active."""
    _collect_answers(org_id, station_id, transaction_id, now)
    closed = charging.soft_stop(org_id, station_id, transaction_id, now)
    if closed is None:
        raise Conflict(NOT_ACTIVE)
    detail = {"register_wh": closed.register_wh, "energy_wh": closed.energy_wh, "stopped_at": closed.stopped_at.isoformat()}
    step = Step(SOFT_STOP, now, detail, operator_id)
    if store().stuck.get(org_id, station_id, transaction_id) is None:  # an admin's stop of a never-probed session
        station = store().estate.get_station(org_id, station_id)
        connector = store().records.session(transaction_id).connector_id
        store().stuck.open(StuckRecord(org_id, station_id, transaction_id, connector,
                                       station.group_path if station else None, SOFT_STOPPED, now, (step,)))
    else:
        _advance(org_id, station_id, transaction_id, SOFT_STOPPED, step)
    logger.warning("session soft-stopped", extra={"station_id": station_id, "transaction_id": transaction_id,
                                                  "operator_id": operator_id, "register_wh": closed.register_wh})
    return store().stuck.get(org_id, station_id, transaction_id)


def _advance(org_id: str, station_id: str, transaction_id: int, state: str, step: Step) -> None:
    store().stuck.advance(org_id, station_id, transaction_id, state, step)


# --- what operators see ---------------------------------------------------------------------------------
def of_station(principal: Principal, station_id: str) -> list[StuckRecord]:
    station = station_view.visible(principal, station_id)
    return store().stuck.of_station(principal.org_id, station.station_id)


def of_domain(principal: Principal) -> list[StuckRecord]:
    """The stuck sessions of the operator's domain (by the station's group when it was first probed)."""
    return [r for r in store().stuck.of_organization(principal.org_id) if station_view.can_see(principal, r.group_path)]


def operator_soft_stop(principal: Principal, station_id: str, transaction_id: int, now: datetime) -> StuckRecord:
    principal.require_admin()
    station = station_view.visible(principal, station_id)
    session = store().records.session(transaction_id) if transaction_id > 0 else None
    if session is None or not session.belongs_to(principal.org_id, station.station_id):
        raise NotFound(SESSION_MISSING)
    return soft_stop(principal.org_id, station.station_id, transaction_id, now, principal.username)
