"""Charging sessions: start (idempotent, ids from an atomic counter), meter values, stop.

A station reads and changes only its own sessions: a transaction id issued to another station changes
nothing and is logged as a security event. Energy follows the rule in `domain.metering`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain import metering, rollups
from chalicelib.domain.authorization import TokenDecision, authorize
from chalicelib.observability import SESSION_STARTED, SESSION_STOPPED, count, logger
from chalicelib.ports.records import Advance, ChargingSession, NewSession, Sample, SessionClosed, StopContext
from chalicelib.ports.registry import store
from chalicelib.settings import get_settings

STOP_ATTEMPTS = 3


def start(
    org_id: str, station_id: str, connector_id: int, id_tag: str, meter_start: int, claimed_at: datetime,
    received_at: datetime, max_power: float = metering.DEFAULT_MAX_POWER_W,
) -> tuple[int, TokenDecision]:
    records = store().records
    # The key is the frame's own timestamp, so a retry finds it even when our clock replaced it.
    existing = records.find_start(org_id, station_id, connector_id, claimed_at, id_tag)
    if existing is not None:  # a retried StartTransaction gets the same answer
        return existing.transaction_id, TokenDecision(existing.id_tag_status)
    started_at, substituted = metering.event_time(claimed_at, received_at)
    decision = authorize(org_id, station_id, id_tag, received_at)
    power = max_power
    transaction_id = records.next_transaction_id()
    session = NewSession(
        transaction_id=transaction_id,
        org_id=org_id,
        station_id=station_id,
        connector_id=connector_id,
        id_tag=id_tag,
        user_id=decision.user_id,
        id_tag_status=decision.status,
        started_at=started_at,
        meter_start_wh=meter_start,
        max_power_w=power,
        energy_base=metering.energy_base(meter_start, started_at, power),
        flags=frozenset({metering.CLOCK_IMPLAUSIBLE} if substituted else ()),
    )
    key = records.create_session(session, claimed_at)
    if key.transaction_id == transaction_id:  # not a start that lost a race to an identical one
        count(SESSION_STARTED)
    return key.transaction_id, TokenDecision(key.id_tag_status, decision.expiry, decision.user_id)


def meter_values(
    org_id: str, station_id: str, connector_id: int, transaction_id: int | None, entries: list[metering.Entry],
    max_power: float = metering.DEFAULT_MAX_POWER_W,
) -> None:
    """The newest possible register reading advances the session (one conditional write); raw samples are
    kept (with a TTL) when nothing counted, when one is flagged, and at most once per `sample_interval_s`
    for plain counted readings (ADR 0019)."""
    records = store().records
    readings = [metering.read(entry) for entry in entries]
    flags = set().union(*(entry.flags for entry in entries)) if entries else set()
    if any(r.implausible for r in readings):
        flags.add(metering.IMPLAUSIBLE_SAMPLE)
    counted = [r for r in readings if r.register_wh is not None and not r.begin]
    latest = max(counted, key=lambda r: r.at) if counted else None
    if latest is not None and any(r.register_wh > latest.register_wh for r in counted):
        flags.add(metering.REGISTER_DECREASED)  # within one frame the register fell: never the last word
    samples = _samples(connector_id, transaction_id, entries, readings, set())
    if transaction_id is None or latest is None:
        records.record_samples(org_id, station_id, samples, transaction_id, frozenset(flags))
        return
    # The connection's power for this connector is the session's unless operators changed it since.
    before = records.advance(org_id, station_id, _advance(transaction_id, latest, max_power, flags))
    if before is not None:
        if _keep_samples(before, latest.at, samples, flags):
            records.record_samples(org_id, station_id, samples, None)
        return
    _not_counted(org_id, station_id, connector_id, transaction_id, entries, readings, counted, flags)


def _not_counted(org_id, station_id, connector_id, transaction_id, entries, readings, counted, flags) -> None:
    """The conditional write failed: find out why, count what may still count, keep the rest flagged."""
    records = store().records
    session = records.session(transaction_id)
    if session is not None and not session.belongs_to(org_id, station_id):
        security_event("foreign_transaction", org_id, station_id, transaction_id=transaction_id, action="MeterValues")
        return
    if session is None or session.state != "Active":
        records.record_samples(org_id, station_id, _samples(connector_id, transaction_id, entries, readings, set()),
                               transaction_id, frozenset(flags))
        return
    base, power = _budget(session)
    newer = [r for r in counted if r.at > session.last_sample_at]
    impossible = {id(r) for r in newer if not metering.possible(r.register_wh, r.at, base, power)}
    if impossible:
        flags.add(metering.IMPLAUSIBLE_SAMPLE)
    if any(r.register_wh < session.last_register_wh for r in newer):
        flags.add(metering.REGISTER_DECREASED)
    usable = [r for r in newer if id(r) not in impossible and r.register_wh >= session.last_register_wh]
    samples = _samples(connector_id, transaction_id, entries, readings, impossible)
    if usable:
        best = max(usable, key=lambda r: r.at)
        power = power or metering.DEFAULT_MAX_POWER_W
        if records.advance(org_id, station_id, _advance(transaction_id, best, power, flags)) is not None:
            # A retry of a frame whose samples a crash lost, or a partly counted frame: keep them all.
            records.record_samples(org_id, station_id, samples, None)
            return
    records.record_samples(org_id, station_id, samples, transaction_id, frozenset(flags))


def _keep_samples(before: datetime, at: datetime, samples: list[Sample], flags: set[str]) -> bool:
    """A counted frame's raw samples are stored when flagged, or when `at` starts a new sample interval."""
    if flags or any(s.implausible for s in samples):
        return True
    interval = get_settings().sample_interval_s
    if interval <= 0:
        return True
    return int(at.timestamp()) // interval != int(before.timestamp()) // interval


def _advance(transaction_id: int, reading: metering.Reading, max_power: float, flags: set[str]) -> Advance:
    floor = metering.floor(reading.register_wh, reading.at, max_power)
    return Advance(transaction_id, reading.at, reading.register_wh, reading.power_w, reading.soc, max_power, floor, frozenset(flags))


def _budget(session: ChargingSession) -> tuple[float | None, float | None]:
    return session.energy_base, session.max_power_w


def _samples(connector_id, transaction_id, entries, readings, impossible: set[int]) -> list[Sample]:
    expires = clock.now() + timedelta(days=get_settings().sample_ttl_days)
    return [
        Sample(
            connector_id, transaction_id, entry.at, reading.register_wh, reading.power_w, reading.soc, entry.raw,
            reading.implausible or id(reading) in impossible, expires,
        )
        for entry, reading in zip(entries, readings, strict=True)
    ]


def security_event(kind: str, org_id: str, station_id: str, **details) -> None:
    """A station tried to touch what is not its own: refused, and said loudly in the log."""
    logger.warning("security event", extra={"security_event": kind, "org_id": org_id, "station_id": station_id, **details})


def stop(
    org_id: str, station_id: str, transaction_id: int, meter_stop: int, claimed_at: datetime, received_at: datetime,
    *, id_tag: str | None = None, reason: str | None = None, entries: list[metering.Entry] = (), raw: dict | None = None,
) -> TokenDecision | None:
    """Close the session once; a replay or an unknown transaction still gets a valid answer."""
    decision = authorize(org_id, station_id, id_tag, received_at) if id_tag else None
    stopped_at, substituted = metering.event_time(claimed_at, received_at)
    records = store().records
    context = records.stop_context(transaction_id, org_id, station_id)
    session = context.session
    if session is None:
        records.park_stop(org_id, station_id, transaction_id, json.dumps(raw or {}), received_at)
        return decision
    if not session.belongs_to(org_id, station_id):
        security_event("foreign_transaction", org_id, station_id, transaction_id=transaction_id, action="StopTransaction")
        return decision
    if session.state != "Active":
        if metering.SOFT_STOPPED in session.flags:
            late_stop(org_id, station_id, session, meter_stop, received_at)
        return decision
    if entries:
        power = session.max_power_w or metering.DEFAULT_MAX_POWER_W
        meter_values(org_id, station_id, session.connector_id, transaction_id, list(entries), power)
        session = records.session(transaction_id)
    base, power = _budget(session)
    final = metering.final_register(meter_stop, stopped_at, session.meter_start_wh, session.last_register_wh, base, power)
    energy = max(0.0, final.register_wh - session.meter_start_wh)
    closed = SessionClosed(
        transaction_id,
        stopped_at,
        max(final.register_wh, session.last_register_wh),
        energy,
        meter_stop if 0 <= meter_stop <= metering.MAX_REGISTER_WH else None,  # as reported (a larger one: log only)
        reason or None,
        id_tag or None,
        frozenset(final.flags) | ({metering.CLOCK_IMPLAUSIBLE} if substituted else frozenset()),
    )
    _close_counted(org_id, station_id, closed, session, context, received_at)
    return decision


def soft_stop(org_id: str, station_id: str, transaction_id: int, now: datetime) -> SessionClosed | None:
    """Close a silent session ourselves with its last counted register (ADR 0017), flagged `soft_stopped`;
    None when it is not this station's active session. A StopTransaction arriving later finds it closed
    and counts nothing again."""
    records = store().records
    context = records.stop_context(transaction_id, org_id, station_id)
    session = context.session
    if session is None or not session.belongs_to(org_id, station_id) or session.state != "Active":
        return None
    closed = SessionClosed(
        transaction_id, session.last_sample_at, session.last_register_wh,
        max(0.0, session.last_register_wh - session.meter_start_wh), flags=frozenset({metering.SOFT_STOPPED}),
    )
    return closed if _close_counted(org_id, station_id, closed, session, context, now) else None


def _close_counted(org_id: str, station_id: str, closed: SessionClosed, session: ChargingSession, context: StopContext, now) -> bool:
    """Close the session with its statistics (ADDed in the same transaction: counted exactly once);
    False when someone else closed it first."""
    records = store().records
    for _ in range(STOP_ATTEMPTS):
        if records.close(org_id, station_id, _with_statistics(closed, org_id, station_id, session, context, now)):
            count(SESSION_STOPPED)
            return True
        # Stopped meanwhile (a replay), or the point's latest use changed under us: read again.
        context = records.stop_context(closed.transaction_id, org_id, station_id)
        if context.session is None or context.session.state != "Active":
            return False
    # Never leave a session that cannot be closed: close it without its roll-ups, and say so.
    logger.error("session closed without its statistics", extra={"station_id": station_id, "transaction_id": closed.transaction_id})
    return records.close(org_id, station_id, replace(closed, flags=closed.flags | {metering.STATISTICS_SKIPPED}))


def late_stop(org_id: str, station_id: str, session: ChargingSession, meter_stop: int, at: datetime) -> None:
    """The charger's own StopTransaction after our soft stop: kept as a step of the stuck record, never counted."""
    from chalicelib.ports.errors import NotFound
    from chalicelib.ports.stuck import LATE_STOP, Step

    record = store().stuck.get(org_id, station_id, session.transaction_id)
    if record is not None and any(step.kind == LATE_STOP for step in record.steps):
        return  # a retried StopTransaction: already kept
    detail = {"meter_stop_wh": meter_stop, "not_counted_wh": max(0.0, meter_stop - session.last_register_wh)}
    try:
        store().stuck.advance(org_id, station_id, session.transaction_id, None, Step(LATE_STOP, at, detail))
    except NotFound:
        logger.warning("stop after a soft stop without a stuck record", extra={"transaction_id": session.transaction_id})


def _with_statistics(closed: SessionClosed, org_id: str, station_id: str, session: ChargingSession, context: StopContext, now) -> SessionClosed:
    """The closing with its roll-up increments and, when it moves, its point's new latest use."""
    station = context.station
    connector = str(session.connector_id)
    uses = context.uses.uses
    increments, use = rollups.session_increments(
        org_id, station_id, station.group_path if station else None, int(connector),
        session.started_at, closed.energy_wh, context.timezone, now, rollups.PointUse.decode(uses.get(connector)),
    )
    if station is None:  # purged while charging: only its own records keep the session
        increments = [i for i in increments if i.kind.startswith("station")]
    if use is None:
        return replace(closed, rollups=tuple(increments))
    return replace(closed, rollups=tuple(increments), uses={**uses, connector: use.encode()}, expected_rev=context.uses.rev)
