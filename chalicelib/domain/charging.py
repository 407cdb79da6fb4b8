"""Charging sessions: start (idempotent, ids from an atomic counter), meter values, stop.

A station reads and changes only its own sessions: a transaction id issued to another station changes
nothing and is logged as a security event. Energy follows the rule in `domain.metering`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain import metering, rollups
from chalicelib.domain.authorization import TokenDecision, authorize
from chalicelib.observability import SESSION_STARTED, SESSION_STOPPED, count, logger
from chalicelib.settings import get_settings
from chalicelib.storage import aggregates as store
from chalicelib.storage import records, transactions
from chalicelib.storage.models import SampleItem, StartKeyItem, TransactionItem

STOP_ATTEMPTS = 3


def start(
    org_id: str, station_id: str, connector_id: int, id_tag: str, meter_start: int, claimed_at: datetime,
    received_at: datetime, max_power: float = metering.DEFAULT_MAX_POWER_W,
) -> tuple[int, TokenDecision]:
    pk = f"{org_id}#{station_id}"
    # The key is the frame's own timestamp, so a retry finds it even when our clock replaced it.
    sk = transactions.start_key(connector_id, claimed_at, id_tag)
    existing = transactions.find_start(pk, sk)
    if existing is not None:  # a retried StartTransaction gets the same answer
        return int(existing.transaction_id), TokenDecision(existing.id_tag_status)
    started_at, substituted = metering.event_time(claimed_at, received_at)
    decision = authorize(org_id, station_id, id_tag, received_at)
    power = max_power
    transaction_id = transactions.next_transaction_id()
    key = transactions.create(
        TransactionItem(
            transaction_id,
            org_id=org_id,
            station_id=station_id,
            station_pk=pk,
            connector_id=connector_id,
            id_tag=id_tag,
            user_id=decision.user_id,
            id_tag_status=decision.status,
            started_at=started_at,
            meter_start_wh=meter_start,
            last_register_wh=meter_start,
            last_sample_at=started_at,
            max_power_w=power,
            energy_base=metering.energy_base(meter_start, started_at, power),
            flags={metering.CLOCK_IMPLAUSIBLE} if substituted else None,
        ),
        StartKeyItem(pk, sk, transaction_id=transaction_id, id_tag_status=decision.status),
    )
    if int(key.transaction_id) == int(transaction_id):  # not a start that lost a race to an identical one
        count(SESSION_STARTED)
    return int(key.transaction_id), TokenDecision(key.id_tag_status, decision.expiry, decision.user_id)


def meter_values(
    org_id: str, station_id: str, connector_id: int, transaction_id: int | None, entries: list[metering.Entry],
    max_power: float = metering.DEFAULT_MAX_POWER_W,
) -> None:
    """Raw samples are kept (with a TTL); the newest possible register reading advances the session."""
    pk = f"{org_id}#{station_id}"
    readings = [metering.read(entry) for entry in entries]
    flags = set().union(*(entry.flags for entry in entries)) if entries else set()
    if any(r.implausible for r in readings):
        flags.add(metering.IMPLAUSIBLE_SAMPLE)
    counted = [r for r in readings if r.register_wh is not None and not r.begin]
    latest = max(counted, key=lambda r: r.at) if counted else None
    if latest is not None and any(r.register_wh > latest.register_wh for r in counted):
        flags.add(metering.REGISTER_DECREASED)  # within one frame the register fell: never the last word
    if transaction_id is None or latest is None:
        transactions.record(_samples(pk, connector_id, transaction_id, entries, readings, set()), transaction_id, flags)
        return
    samples = _samples(pk, connector_id, transaction_id, entries, readings, set())
    # The connection's power for this connector is the session's unless operators changed it since.
    floor = metering.floor(latest.register_wh, latest.at, max_power)
    if transactions.advance(pk, transaction_id, samples, latest, max_power, floor, flags):
        return
    _not_counted(org_id, station_id, connector_id, transaction_id, entries, readings, counted, flags)


def _not_counted(org_id, station_id, connector_id, transaction_id, entries, readings, counted, flags) -> None:
    """The conditional write failed: find out why, count what may still count, keep the rest flagged."""
    pk = f"{org_id}#{station_id}"
    session = transactions.get(transaction_id)
    if session is not None and session.station_pk != pk:
        security_event("foreign_transaction", org_id, station_id, transaction_id=transaction_id, action="MeterValues")
        return
    if session is None or session.state != "Active":
        transactions.record(_samples(pk, connector_id, transaction_id, entries, readings, set()), transaction_id, flags)
        return
    base, power = _budget(session)
    newer = [r for r in counted if r.at > session.last_sample_at]
    impossible = {id(r) for r in newer if not metering.possible(r.register_wh, r.at, base, power)}
    if impossible:
        flags.add(metering.IMPLAUSIBLE_SAMPLE)
    if any(r.register_wh < float(session.last_register_wh) for r in newer):
        flags.add(metering.REGISTER_DECREASED)
    usable = [r for r in newer if id(r) not in impossible and r.register_wh >= float(session.last_register_wh)]
    samples = _samples(pk, connector_id, transaction_id, entries, readings, impossible)
    if usable:
        best = max(usable, key=lambda r: r.at)
        power = power or metering.DEFAULT_MAX_POWER_W
        if transactions.advance(pk, transaction_id, samples, best, power, metering.floor(best.register_wh, best.at, power), flags):
            return
    transactions.record(samples, transaction_id, flags)


def _budget(session) -> tuple[float | None, float | None]:
    base = float(session.energy_base) if session.energy_base is not None else None
    power = float(session.max_power_w) if session.max_power_w is not None else None
    return base, power


def _samples(pk, connector_id, transaction_id, entries, readings, impossible: set[int]) -> list[SampleItem]:
    expires = clock.now() + timedelta(days=get_settings().sample_ttl_days)
    return [
        SampleItem(
            pk,
            records.sample_sk(transaction_id, entry.at, connector_id),
            connector_id=connector_id,
            transaction_id=transaction_id,
            timestamp=entry.at,
            energy_wh=reading.register_wh,
            power_w=reading.power_w,
            soc=reading.soc,
            sampled=entry.raw,
            implausible=True if (reading.implausible or id(reading) in impossible) else None,
            expires=expires,
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
    context = transactions.stop_context(transaction_id, org_id, station_id)
    transaction = context.transaction
    pk = f"{org_id}#{station_id}"
    if transaction is None:
        records.park_stop(pk, transaction_id, json.dumps(raw or {}), received_at)
        return decision
    if transaction.station_pk != pk:
        security_event("foreign_transaction", org_id, station_id, transaction_id=transaction_id, action="StopTransaction")
        return decision
    if transaction.state != "Active":
        return decision
    if entries:
        power = float(transaction.max_power_w or metering.DEFAULT_MAX_POWER_W)
        meter_values(org_id, station_id, int(transaction.connector_id), transaction_id, list(entries), power)
        transaction.refresh()
    base, power = _budget(transaction)
    final = metering.final_register(
        meter_stop, stopped_at, float(transaction.meter_start_wh), float(transaction.last_register_wh), base, power
    )
    energy = max(0.0, final.register_wh - float(transaction.meter_start_wh))
    flags = set(final.flags) | ({metering.CLOCK_IMPLAUSIBLE} if substituted else set())
    actions = [
        TransactionItem.state.set("Completed"),
        TransactionItem.stopped_at.set(stopped_at),
        TransactionItem.last_register_wh.set(max(final.register_wh, float(transaction.last_register_wh))),
        TransactionItem.energy_wh.set(energy),
    ]
    if 0 <= meter_stop <= metering.MAX_REGISTER_WH:  # as reported (a larger number is only in the log)
        actions.append(TransactionItem.meter_stop_wh.set(meter_stop))
    if reason:
        actions.append(TransactionItem.stop_reason.set(reason))
    if id_tag:
        actions.append(TransactionItem.stop_id_tag.set(id_tag))
    if flags:
        actions.append(TransactionItem.flags.add(flags))
    # The statistics are ADDed in the transaction that closes the session: counted exactly once.
    for _ in range(STOP_ATTEMPTS):
        updates, puts = _statistics(org_id, station_id, transaction, energy, context, received_at)
        if transactions.complete(transaction, actions, updates, puts):
            count(SESSION_STOPPED)
            return decision
        # Stopped meanwhile (a replay), or the point's latest use changed under us: read again.
        context = transactions.stop_context(transaction_id, org_id, station_id)
        if context.transaction is None or context.transaction.state != "Active":
            return decision
    # Never leave a session that cannot be closed: close it without its roll-ups, and say so.
    logger.error("session closed without its statistics", extra={"station_id": station_id, "transaction_id": transaction_id})
    transactions.complete(transaction, [*actions, TransactionItem.flags.add({metering.STATISTICS_SKIPPED})], [], [])
    return decision


def _statistics(org_id: str, station_id: str, transaction, energy: float, context, now) -> tuple[list, list]:
    """The roll-up updates of a finished session, and the put of its point's new latest use."""
    station = context.station
    connector = str(int(transaction.connector_id))
    uses = transactions.uses_of(context)
    increments, use = rollups.session_increments(
        org_id, station_id, station.group_path if station else None, int(connector),
        transaction.started_at, energy, context.timezone, now, rollups.PointUse.decode(uses.get(connector)),
    )
    if station is None:  # purged while charging: only its own records keep the session
        increments = [i for i in increments if i.kind.startswith("station")]
    puts = []
    if use is not None:
        puts.append(transactions.uses_put(f"{org_id}#{station_id}", context, {**uses, connector: use.encode()}))
    return [store.rollup_update(i) for i in increments], puts
