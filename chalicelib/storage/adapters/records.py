"""The records port on DynamoDB: the station-records table (statuses, events, samples, parked stops) and
the transactions table, with the conditional writes that keep sessions idempotent (ADR 0008)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib.ports.errors import NotFound
from chalicelib.ports.paging import Page
from chalicelib.ports.records import (
    Advance,
    ChargingSession,
    ConnectorStatus,
    NewSession,
    PointUses,
    Sample,
    SessionClosed,
    StartKey,
    StationEvent,
    StopContext,
)
from chalicelib.storage import aggregates, records, transactions
from chalicelib.storage.adapters.stations import station_value
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import EventItem, SampleItem, StartKeyItem, StationUseItem, TransactionItem, station_key
from chalicelib.storage.stuck import active_key, active_shard


def session_value(item: TransactionItem) -> ChargingSession:
    return ChargingSession(
        transaction_id=int(item.transaction_id),
        org_id=item.org_id,
        station_id=item.station_id,
        connector_id=int(item.connector_id),
        state=item.state,
        started_at=item.started_at,
        meter_start_wh=float(item.meter_start_wh),
        last_register_wh=float(item.last_register_wh),
        last_sample_at=item.last_sample_at,
        max_power_w=float(item.max_power_w) if item.max_power_w is not None else None,
        energy_base=float(item.energy_base) if item.energy_base is not None else None,
        energy_wh=float(item.energy_wh or 0),
        flags=frozenset(item.flags or ()),
    )


def event_value(item: EventItem) -> StationEvent:
    return StationEvent(item.kind, item.timestamp, int(item.connector_id or 0), item.status, item.error_code, item.info,
                        item.vendor_error_code)


def sample_items(pk: str, samples: list[Sample]) -> list[SampleItem]:
    return [
        SampleItem(
            pk,
            records.sample_sk(s.transaction_id, s.at, s.connector_id),
            connector_id=s.connector_id,
            transaction_id=s.transaction_id,
            timestamp=s.at,
            energy_wh=s.energy_wh,
            power_w=s.power_w,
            soc=s.soc,
            sampled=s.sampled,
            implausible=True if s.implausible else None,
            expires=s.expires,
        )
        for s in samples
    ]


class DynamoRecords:
    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]:
        return [
            ConnectorStatus(int(s.connector_id), s.status, s.error_code, s.info, s.timestamp)
            for s in records.connector_statuses(station_key(org_id, station_id))
        ]

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        records.put_status(station_key(org_id, station_id), message_id, fields, at)

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        pk = station_key(org_id, station_id)
        EventItem(pk, records.event_sk(at, message_id), kind=kind, connector_id=0, status=value, info=value, timestamp=at).save()

    def event_page(
        self, org_id: str, station_id: str, start: datetime, end: datetime, status: str | None, error_code: str | None,
        limit: int, cursor: str | None, keep: Callable[[StationEvent], bool] | None = None,
    ) -> Page[StationEvent]:
        wanted = (lambda item: keep(event_value(item))) if keep is not None else None
        page = records.event_page(station_key(org_id, station_id), start, end, status, error_code, limit, cursor, wanted)
        return Page([event_value(item) for item in page.items], page.cursor)

    # --- charging sessions -------------------------------------------------------------------------------
    def next_transaction_id(self) -> int:
        return transactions.next_transaction_id()

    def find_start(self, org_id: str, station_id: str, connector_id: int, claimed_at: datetime, id_tag: str) -> StartKey | None:
        key = transactions.find_start(station_key(org_id, station_id), transactions.start_key(connector_id, claimed_at, id_tag))
        return StartKey(int(key.transaction_id), key.id_tag_status) if key is not None else None

    def create_session(self, session: NewSession, claimed_at: datetime) -> StartKey:
        pk = station_key(session.org_id, session.station_id)
        item = TransactionItem(
            session.transaction_id,
            org_id=session.org_id,
            station_id=session.station_id,
            station_pk=pk,
            connector_id=session.connector_id,
            id_tag=session.id_tag,
            user_id=session.user_id,
            id_tag_status=session.id_tag_status,
            started_at=session.started_at,
            meter_start_wh=session.meter_start_wh,
            last_register_wh=session.meter_start_wh,
            last_sample_at=session.started_at,
            max_power_w=session.max_power_w,
            energy_base=session.energy_base,
            flags=set(session.flags) or None,
            active_shard=active_shard(session.transaction_id),
            active_key=active_key(session.org_id, session.started_at),
        )
        sk = transactions.start_key(session.connector_id, claimed_at, session.id_tag)
        key = StartKeyItem(pk, sk, transaction_id=session.transaction_id, id_tag_status=session.id_tag_status)
        won = transactions.create(item, key)
        return StartKey(int(won.transaction_id), won.id_tag_status)

    def session(self, transaction_id: int) -> ChargingSession | None:
        item = transactions.get(transaction_id)
        return session_value(item) if item is not None else None

    def active_session(self, org_id: str, station_id: str, connector_id: int) -> ChargingSession | None:
        item = transactions.latest_on_connector(station_key(org_id, station_id), connector_id)
        return session_value(item) if item is not None and item.state == "Active" else None

    def advance(self, org_id: str, station_id: str, advance: Advance) -> datetime | None:
        pk = station_key(org_id, station_id)
        return transactions.advance(pk, advance.transaction_id, advance, advance.max_power_w, advance.floor, set(advance.flags))

    def record_samples(self, org_id: str, station_id: str, samples: list[Sample], transaction_id: int | None,
                       flags: frozenset[str] = frozenset()) -> None:
        try:
            transactions.record(sample_items(station_key(org_id, station_id), samples), transaction_id, set(flags))
        except UpdateError as exc:
            if condition_failed(exc):
                raise NotFound(f"transaction {transaction_id}") from exc
            raise

    def stop_context(self, transaction_id: int, org_id: str, station_id: str) -> StopContext:
        context = transactions.stop_context(transaction_id, org_id, station_id)
        rev = int(context.uses.rev) if context.uses is not None else None
        return StopContext(
            session_value(context.transaction) if context.transaction is not None else None,
            station_value(context.station) if context.station is not None else None,
            context.timezone,
            PointUses(transactions.uses_of(context), rev),
        )

    def close(self, org_id: str, station_id: str, closed: SessionClosed) -> bool:
        actions = [
            TransactionItem.state.set("Completed"),
            TransactionItem.stopped_at.set(closed.stopped_at),
            TransactionItem.last_register_wh.set(closed.register_wh),
            TransactionItem.energy_wh.set(closed.energy_wh),
            TransactionItem.active_shard.remove(),  # leaves the active-sessions index (ADR 0017)
            TransactionItem.active_key.remove(),
        ]
        optional = ((TransactionItem.meter_stop_wh, closed.meter_stop_wh), (TransactionItem.stop_reason, closed.reason),
                    (TransactionItem.stop_id_tag, closed.id_tag))
        actions.extend(attribute.set(value) for attribute, value in optional if value is not None)
        if closed.flags:
            actions.append(TransactionItem.flags.add(set(closed.flags)))
        updates = [aggregates.rollup_update(increment) for increment in closed.rollups]
        puts = []
        if closed.uses is not None:
            seen = closed.expected_rev
            item = StationUseItem(station_key(org_id, station_id), transactions.USES_SK, uses=closed.uses, rev=(seen or 0) + 1)
            puts.append((item, StationUseItem.sk.does_not_exist() if seen is None else StationUseItem.rev == seen))
        return transactions.complete(TransactionItem(closed.transaction_id), actions, updates, puts)

    def park_stop(self, org_id: str, station_id: str, transaction_id: int, payload: str, at: datetime) -> None:
        records.park_stop(station_key(org_id, station_id), transaction_id, payload, at)


def build() -> DynamoRecords:
    return DynamoRecords()


