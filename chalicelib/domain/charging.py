"""Charging sessions: start (idempotent, ids from an atomic counter), meter values, stop."""

from __future__ import annotations

import json
from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import metering, rollups
from chalicelib.domain.authorization import TokenDecision, authorize
from chalicelib.observability import SESSION_STARTED, SESSION_STOPPED, count
from chalicelib.settings import get_settings
from chalicelib.storage import aggregates as store
from chalicelib.storage import records, transactions
from chalicelib.storage.models import SampleItem, StartKeyItem, TransactionItem


def start(org_id: str, station_id: str, request: dict) -> tuple[int, TokenDecision]:
    pk = f"{org_id}#{station_id}"
    connector_id = request["connectorId"]
    started_at = metering.timestamp(request["timestamp"])
    sk = transactions.start_key(connector_id, started_at, request["idTag"])
    existing = transactions.find_start(pk, sk)
    if existing is not None:  # a retried StartTransaction gets the same answer
        return int(existing.transaction_id), TokenDecision(existing.id_tag_status)
    decision = authorize(org_id, station_id, request["idTag"], clock.now())
    transaction_id = transactions.next_transaction_id()
    meter_start = float(request["meterStart"])
    key = transactions.create(
        TransactionItem(
            transaction_id,
            org_id=org_id,
            station_id=station_id,
            station_pk=pk,
            connector_id=connector_id,
            id_tag=request["idTag"],
            user_id=decision.user_id,
            id_tag_status=decision.status,
            started_at=started_at,
            meter_start_wh=meter_start,
            last_register_wh=meter_start,
            last_sample_at=started_at,
        ),
        StartKeyItem(pk, sk, transaction_id=transaction_id, id_tag_status=decision.status),
    )
    if int(key.transaction_id) == int(transaction_id):  # not a start that lost a race to an identical one
        count(SESSION_STARTED)
    return int(key.transaction_id), TokenDecision(key.id_tag_status, decision.expiry, decision.user_id)


def meter_values(org_id: str, station_id: str, connector_id: int, transaction_id: int | None, meter_values: list[dict]) -> None:
    pk = f"{org_id}#{station_id}"
    expires = clock.now() + timedelta(days=get_settings().sample_ttl_days)
    samples, latest = _samples(pk, connector_id, transaction_id, meter_values, expires)
    transactions.apply_samples(transaction_id, samples, latest)


def _samples(pk, connector_id, transaction_id, meter_values, expires):
    samples: list[SampleItem] = []
    latest: dict | None = None
    for entry in meter_values:
        at = metering.timestamp(entry["timestamp"])
        reading = metering.read(entry["sampledValue"])
        samples.append(
            SampleItem(
                pk,
                records.sample_sk(transaction_id, at, connector_id),
                connector_id=connector_id,
                transaction_id=transaction_id,
                timestamp=at,
                energy_wh=reading["energy_wh"],
                power_w=reading["power_w"],
                soc=reading["soc"],
                sampled=entry["sampledValue"],
                expires=expires,
            )
        )
        # A Transaction.Begin sample is never the baseline: the StartTransaction's meterStart is.
        if reading["energy_wh"] is not None and not reading["begin"]:
            if latest is None or at > latest["at"]:
                latest = {"at": at, "register_wh": reading["energy_wh"], "power_w": reading["power_w"], "soc": reading["soc"]}
    return samples, latest


def stop(org_id: str, station_id: str, request: dict, raw: dict) -> TokenDecision | None:
    """Close the session once; a replay or an unknown transaction still gets a valid answer."""
    now = clock.now()
    decision = authorize(org_id, station_id, request["idTag"], now) if request.get("idTag") else None
    transaction_id = request["transactionId"]
    stopped_at = metering.timestamp(request["timestamp"])
    context = transactions.stop_context(transaction_id, org_id, station_id)
    transaction = context.transaction
    pk = f"{org_id}#{station_id}"
    if transaction is None or transaction.station_pk != pk:
        records.park_stop(pk, transaction_id, json.dumps(raw), now)
        return decision
    if transaction.state != "Active":
        return decision
    if request.get("transactionData"):
        meter_values(org_id, station_id, int(transaction.connector_id), transaction_id, request["transactionData"])
        transaction.refresh()
    meter_stop = float(request["meterStop"])
    last = max(float(transaction.last_register_wh), meter_stop)
    energy = max(0.0, last - float(transaction.meter_start_wh))
    actions = [
        TransactionItem.state.set("Completed"),
        TransactionItem.stopped_at.set(stopped_at),
        TransactionItem.meter_stop_wh.set(meter_stop),
        TransactionItem.last_register_wh.set(last),
        TransactionItem.energy_wh.set(energy),
    ]
    if request.get("reason"):
        actions.append(TransactionItem.stop_reason.set(request["reason"]))
    if request.get("idTag"):
        actions.append(TransactionItem.stop_id_tag.set(request["idTag"]))
    # The statistics are ADDed in the transaction that closes the session: counted exactly once.
    for _ in range(STOP_ATTEMPTS):
        updates, puts = _statistics(org_id, station_id, transaction, energy, context, now)
        if transactions.complete(transaction, actions, updates, puts):
            count(SESSION_STOPPED)
            return decision
        # Stopped meanwhile (a replay), or the point's latest use changed under us: read again.
        context = transactions.stop_context(transaction_id, org_id, station_id)
        if context.transaction is None or context.transaction.state != "Active":
            return decision
    return decision


STOP_ATTEMPTS = 3


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
