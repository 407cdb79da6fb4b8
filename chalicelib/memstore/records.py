"""The records port in memory: connector statuses, event feeds, samples, sessions and their conditions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import asdict, fields
from datetime import datetime

from chalicelib.clock import UTC, sortable
from chalicelib.memstore.stations import MemoryStations
from chalicelib.ports.aggregates import Increment, Scope
from chalicelib.ports.errors import NotFound
from chalicelib.ports.paging import InvalidCursor, Page, clamp, pack, unpack
from chalicelib.ports.records import (
    Advance,
    ConnectorStatus,
    NewSession,
    PointUses,
    Sample,
    Session,
    SessionClosed,
    StartKey,
    StationEvent,
    StopContext,
)

_SESSION_FIELDS = [f.name for f in fields(Session)]


class MemoryRecords:
    def __init__(self, state) -> None:
        self.state = state
        self.statuses: dict[tuple[str, str], dict[int, ConnectorStatus]] = state.collection("records.statuses")
        self.events: dict[tuple[str, str], dict[str, dict]] = state.collection("records.events")
        self.samples: dict[tuple[str, str], dict[tuple, Sample]] = state.collection("records.samples")
        self.starts: dict[tuple, StartKey] = state.collection("records.starts")
        self.sessions: dict[int, dict] = state.collection("records.sessions")
        self.uses: dict[tuple[str, str], PointUses] = state.collection("records.uses")
        self.parked: dict[tuple[str, str, int], tuple[str, datetime]] = state.collection("records.parked")
        self.rollups: dict[tuple[Scope, str], dict] = state.collection("aggregates.rollups")
        self.ids = state.collection("records.counter").setdefault("transaction", itertools.count(1))

    def connector_statuses(self, org_id: str, station_id: str) -> list[ConnectorStatus]:
        found = self.statuses.get((org_id, station_id), {})
        return [found[c] for c in sorted(found)]

    def put_status(self, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
        put_status(self, org_id, station_id, message_id, fields, at)

    def put_progress(self, org_id: str, station_id: str, kind: str, value: str, message_id: str, at: datetime) -> None:
        event = {"kind": kind, "connector_id": 0, "status": value, "info": value, "timestamp": at}
        self.events.setdefault((org_id, station_id), {})[f"{sortable(at)}#{message_id}"] = event

    def event_page(
        self, org_id: str, station_id: str, start: datetime, end: datetime, status: str | None, error_code: str | None,
        limit: int, cursor: str | None, keep: Callable[[StationEvent], bool] | None = None,
    ) -> Page[StationEvent]:
        low, high = sortable(start.astimezone(UTC)), sortable(end.astimezone(UTC))
        found = self.events.get((org_id, station_id), {})
        before = _event_cursor(cursor, org_id, station_id)
        keys = sorted((k for k in found if low <= k[:26] < high and (before is None or k < before)), reverse=True)
        items: list[StationEvent] = []
        for key in keys:
            event = _event(found[key])
            if (status and event.status != status) or (error_code and event.error_code != error_code):
                continue
            if keep is None or keep(event):
                items.append(event)
                if len(items) == clamp(limit):
                    return Page(items, pack([org_id, station_id, key]) if key != keys[-1] else None)
        return Page(items, None)

    # --- charging sessions -------------------------------------------------------------------------------
    def next_transaction_id(self) -> int:
        return next(self.ids)

    def find_start(self, org_id: str, station_id: str, connector_id: int, claimed_at: datetime, id_tag: str) -> StartKey | None:
        return self.starts.get((org_id, station_id, connector_id, sortable(claimed_at), id_tag))

    def create_session(self, session: NewSession, claimed_at: datetime) -> StartKey:
        key = (session.org_id, session.station_id, session.connector_id, sortable(claimed_at), session.id_tag)
        if key in self.starts:
            return self.starts[key]
        record = asdict(session)
        record.update(state="Active", last_register_wh=session.meter_start_wh, last_sample_at=session.started_at,
                      energy_wh=0.0, flags=set(session.flags))
        self.sessions[session.transaction_id] = record
        self.starts[key] = StartKey(session.transaction_id, session.id_tag_status)
        return self.starts[key]

    def session(self, transaction_id: int) -> Session | None:
        record = self.sessions.get(transaction_id)
        if record is None:
            return None
        return Session(**{name: record[name] for name in _SESSION_FIELDS if name != "flags"}, flags=frozenset(record["flags"]))

    def active_session(self, org_id: str, station_id: str, connector_id: int) -> Session | None:
        mine = [
            r for r in self.sessions.values()
            if (r["org_id"], r["station_id"], r["connector_id"]) == (org_id, station_id, connector_id)
        ]
        latest = max(mine, key=lambda r: r["started_at"], default=None)
        if latest is None or latest["state"] != "Active":
            return None
        return self.session(latest["transaction_id"])

    def advance(self, org_id: str, station_id: str, samples: list[Sample], advance: Advance) -> bool:
        record = self.sessions.get(advance.transaction_id)
        if record is None or not _may_count(record, org_id, station_id, advance):
            return False
        self._keep(org_id, station_id, samples)
        record.update(last_register_wh=advance.register_wh, last_sample_at=advance.at)
        record.update({k: v for k, v in (("power_w", advance.power_w), ("soc", advance.soc)) if v is not None})
        record["flags"] |= advance.flags
        return True

    def record_samples(self, org_id: str, station_id: str, samples: list[Sample], transaction_id: int | None,
                       flags: frozenset[str] = frozenset()) -> None:
        self._keep(org_id, station_id, samples)
        if transaction_id is not None and flags:
            if transaction_id not in self.sessions:
                raise NotFound(f"transaction {transaction_id}")
            self.sessions[transaction_id]["flags"] |= flags

    def samples_of(self, org_id: str, station_id: str, transaction_id: int) -> list[Sample]:
        found = self.samples.get((org_id, station_id), {})
        return [found[k] for k in sorted(found, key=str) if k[0] == transaction_id]

    def stop_context(self, transaction_id: int, org_id: str, station_id: str) -> StopContext:
        stations = MemoryStations(self.state)
        organization = stations.organization(org_id)
        return StopContext(
            self.session(transaction_id),
            stations.get(org_id, station_id),
            (organization.timezone if organization else None) or "UTC",
            self.uses.get((org_id, station_id), PointUses()),
        )

    def close(self, org_id: str, station_id: str, closed: SessionClosed) -> bool:
        record = self.sessions.get(closed.transaction_id)
        if record is None or record["state"] != "Active":
            return False
        if closed.uses is not None and self.uses.get((org_id, station_id), PointUses()).rev != closed.expected_rev:
            return False
        record.update(state="Completed", stopped_at=closed.stopped_at, last_register_wh=closed.register_wh,
                      energy_wh=closed.energy_wh, flags=record["flags"] | closed.flags)
        for name, value in (("meter_stop_wh", closed.meter_stop_wh), ("stop_reason", closed.reason), ("stop_id_tag", closed.id_tag)):
            if value is not None:
                record[name] = value
        for increment in closed.rollups:
            add_rollup(self.rollups, increment)
        if closed.uses is not None:
            self.uses[(org_id, station_id)] = PointUses(dict(closed.uses), (closed.expected_rev or 0) + 1)
        return True

    def park_stop(self, org_id: str, station_id: str, transaction_id: int, payload: str, at: datetime) -> None:
        self.parked.setdefault((org_id, station_id, transaction_id), (payload, at))

    def _keep(self, org_id: str, station_id: str, samples: list[Sample]) -> None:
        kept = self.samples.setdefault((org_id, station_id), {})
        for sample in samples:
            kept[(sample.transaction_id, sortable(sample.at), sample.connector_id)] = sample


def _event(stored: dict) -> StationEvent:
    names = ("kind", "timestamp", "connector_id", "status", "error_code", "info", "vendor_error_code")
    return StationEvent(**{name: stored[name] for name in names if name in stored})


def _may_count(record: dict, org_id: str, station_id: str, advance: Advance) -> bool:
    """The condition of the DynamoDB adapter's conditional update (ADR 0008), on a plain record."""
    if record["state"] != "Active" or (record["org_id"], record["station_id"]) != (org_id, station_id):
        return False
    if not (record["last_sample_at"] < advance.at and record["last_register_wh"] <= advance.register_wh):
        return False
    base = record.get("energy_base")
    return base is None or (record["max_power_w"] == advance.max_power_w and base >= advance.floor)


def add_rollup(rollups: dict, increment: Increment) -> None:
    """ADD an increment to its roll-up item, as the DynamoDB update does."""
    fresh = {"sessions": 0, "energy_wh": 0.0, "used": 0, "per_station": {}, "expires": None}
    item = rollups.setdefault((increment.scope, increment.period), fresh)
    item["sessions"] += increment.sessions
    item["energy_wh"] += increment.energy_wh
    item["used"] += increment.used
    if increment.expires is not None:
        item["expires"] = increment.expires
    for station_id, (sessions, energy) in increment.per_station.items():
        was = item["per_station"].get(station_id, (0, 0.0))
        item["per_station"][station_id] = (was[0] + sessions, was[1] + energy)


def put_status(records: MemoryRecords, org_id: str, station_id: str, message_id: str, fields: dict, at: datetime) -> None:
    """The event and the connector's current status (also a step of an aggregates change)."""
    key = (org_id, station_id)
    event = {k: v for k, v in fields.items() if v is not None}
    records.events.setdefault(key, {})[f"{sortable(at)}#{message_id}"] = {**event, "kind": "StatusNotification", "timestamp": at}
    connector = int(fields["connector_id"])
    records.statuses.setdefault(key, {})[connector] = ConnectorStatus(
        connector, fields["status"], fields.get("error_code"), fields.get("info"), at
    )


def build(state) -> MemoryRecords:
    return MemoryRecords(state)


def _event_cursor(cursor: str | None, org_id: str, station_id: str) -> str | None:
    """The sort key inside a cursor of this station's events; InvalidCursor for any other."""
    if not cursor:
        return None
    value = unpack(cursor)
    if not isinstance(value, list) or len(value) != 3 or value[:2] != [org_id, station_id] or not isinstance(value[2], str):
        raise InvalidCursor(cursor)
    return value[2]
