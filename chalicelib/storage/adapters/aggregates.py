"""The aggregates port on DynamoDB: a `LiveChange` becomes one TransactWriteItems (ADR 0003)."""

from __future__ import annotations

from chalicelib.ports.aggregates import (
    ConnectionClosed,
    ConnectionOpened,
    Contended,
    DayTotal,
    GroupCounters,
    GroupNode,
    HourTotal,
    Live,
    LiveChange,
    LiveRecord,
    Scope,
    StatusReported,
)
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.stations import Station
from chalicelib.storage import aggregates as store
from chalicelib.storage import preferences, records, stations
from chalicelib.storage.adapters.stations import station_value
from chalicelib.storage.models import (
    GroupLiveItem,
    RollupHourItem,
    StationHourItem,
    StationLiveItem,
    station_key,
)
from chalicelib.storage.writes import Refused, Writes

COUNTERS = tuple(name for name in GroupLiveItem.get_attributes() if name not in ("pk", "sk"))


def live_value(item: StationLiveItem) -> Live:
    statuses = item.statuses.as_dict() if hasattr(item.statuses, "as_dict") else dict(item.statuses or {})
    return Live(item.group_id, int(item.point_count), bool(item.connected), {k: str(v) for k, v in statuses.items()})


class DynamoAggregates:
    def live(self, org_id: str, station_id: str) -> LiveRecord | None:
        item = store.get_station_live(org_id, station_id)
        return LiveRecord(live_value(item), int(item.rev)) if item is not None else None

    def station_and_live(self, org_id: str, station_id: str) -> tuple[Station | None, LiveRecord | None]:
        station, live = store.station_and_live(org_id, station_id)
        return (
            station_value(station) if station is not None else None,
            LiveRecord(live_value(live), int(live.rev)) if live is not None else None,
        )

    def apply(self, change: LiveChange) -> None:
        writes = Writes()
        _add_effect(writes, change)
        org_id, station_id, rev = change.org_id, change.station_id, change.expected_rev
        if change.write:
            store.write_live(writes, org_id, station_id, change.new.values() if change.new else None, rev)
        else:
            store.check_live(writes, org_id, station_id, rev)
        for group_id, deltas in change.counters.items():
            store.add_counters(writes, org_id, group_id, deltas)
        try:
            writes.commit()
        except Refused as refused:
            raise (Contended if refused.conflict else ConditionFailed)(str(refused)) from refused

    def lives(self, org_id: str, station_ids: list[str]) -> dict[str, Live]:
        return {item.pk.split("#", 1)[1]: live_value(item) for item in store.station_lives(org_id, station_ids)}

    def group_counters(self, org_id: str) -> list[GroupCounters]:
        return [
            GroupCounters(item.sk, {name: int(getattr(item, name) or 0) for name in COUNTERS})
            for item in store.group_counters(org_id)
        ]

    def correct_counters(self, org_id: str, group_key: str, seen: dict[str, int], expected: dict[str, int]) -> bool:
        return store.correct_counters(org_id, group_key, seen, expected)

    # --- session roll-ups and what the dashboard reads ------------------------------------------------
    def hour_totals(self, scope: Scope, first: str, last: str) -> list[HourTotal]:
        pk, low, high = store.scope_key(scope), store.period_key(scope, first), store.period_key(scope, last)
        model = StationHourItem if scope.is_station else RollupHourItem
        return [
            HourTotal(int(item.sessions or 0), float(item.energy_wh or 0), int(item.used or 0))
            for item in model.query(pk, model.sk.between(low, high))
        ]

    def day_totals(self, scope: Scope, first: str, last: str) -> list[DayTotal]:
        pk = store.scope_key(scope)
        if scope.is_station:
            found = store.station_day_totals(pk, first, last)
            return [DayTotal(day, sessions, energy) for day, (sessions, energy) in sorted(found.items())]
        return [DayTotal(day, sessions, energy, own) for day, sessions, energy, own in store.scope_day_totals(pk, first, last)]

    def groups_under(self, org_id: str, path: str) -> list[GroupNode]:
        return [GroupNode(g.group_id, g.name, g.path) for g in store.groups_under(org_id, path)]

    def dashboard_selection(self, username: str) -> list[str] | None:
        return preferences.dashboard_groups(username)

    def save_dashboard_selection(self, username: str, group_ids: list[str]) -> None:
        preferences.save_dashboard_groups(username, group_ids)


def _add_effect(writes: Writes, change: LiveChange) -> None:
    effect, org_id, station_id = change.effect, change.org_id, change.station_id
    if isinstance(effect, ConnectionOpened):
        stations.add_connection(
            writes, org_id, station_id, effect.connection_id, effect.connected_at, effect.powers, effect.registration, effect.check_at,
        )
    elif isinstance(effect, ConnectionClosed):
        stations.add_disconnect(writes, org_id, station_id, effect.connection_id, effect.at)
    elif isinstance(effect, StatusReported):
        records.add_status(writes, station_key(org_id, station_id), effect.message_id, effect.fields, effect.at)


def build() -> DynamoAggregates:
    return DynamoAggregates()
