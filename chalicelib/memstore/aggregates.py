"""The aggregates port in memory: a `LiveChange` checked whole, then applied whole (like one transaction)."""

from __future__ import annotations

import copy
from collections import Counter

from chalicelib.memstore import connections, records, tables
from chalicelib.ports.aggregates import (
    ORPHANS,
    ConnectionClosed,
    ConnectionOpened,
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
from chalicelib.ports.connections import Connection
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.stations import Station


class MemoryAggregates:
    def __init__(self, state) -> None:
        self.state = state
        self.records: dict[tuple[str, str], LiveRecord] = state.collection("aggregates.lives")
        self.counters: dict[tuple[str, str], Counter] = state.collection("aggregates.counters")

    def live(self, org_id: str, station_id: str) -> LiveRecord | None:
        found = self.records.get((org_id, station_id))
        return copy.deepcopy(found)

    def station_and_live(self, org_id: str, station_id: str) -> tuple[Station | None, LiveRecord | None]:
        from chalicelib.memstore.stations import station_value

        record = self.state.collection(tables.STATIONS).get((org_id, station_id))
        return (station_value(record) if record is not None else None), copy.deepcopy(self.records.get((org_id, station_id)))

    def apply(self, change: LiveChange) -> None:
        key = (change.org_id, change.station_id)
        found = self.records.get(key)
        if (found.rev if found is not None else None) != change.expected_rev:
            raise ConditionFailed("the live record changed")
        self._check_effect(change)
        self._apply_effect(change)
        if change.write:
            if change.new is None:
                self.records.pop(key, None)
            else:
                self.records[key] = LiveRecord(copy.deepcopy(change.new), (change.expected_rev or 0) + 1)
        for group_id, deltas in change.counters.items():
            self.counters.setdefault((change.org_id, group_id or ORPHANS), Counter()).update(deltas)

    def lives(self, org_id: str, station_ids: list[str]) -> dict[str, Live]:
        return {s: copy.deepcopy(self.records[(org_id, s)].live) for s in station_ids if (org_id, s) in self.records}

    def group_counters(self, org_id: str) -> list[GroupCounters]:
        return [
            GroupCounters(group_key, {name: int(value) for name, value in counts.items()})
            for (org, group_key), counts in sorted(self.counters.items())
            if org == org_id
        ]

    def correct_counters(self, org_id: str, group_key: str, seen: dict[str, int], expected: dict[str, int]) -> bool:
        counts = self.counters.setdefault((org_id, group_key), Counter())
        if any(int(counts.get(name, 0)) != value for name, value in seen.items()):
            return False
        counts.update({name: value - int(counts.get(name, 0)) for name, value in expected.items()})
        return True

    # --- session roll-ups and what the dashboard reads ------------------------------------------------
    def hour_totals(self, scope: Scope, first: str, last: str) -> list[HourTotal]:
        found = self._rollups(scope, first, last, hourly=True)
        return [HourTotal(int(i["sessions"]), float(i["energy_wh"]), int(i["used"])) for _, i in found]

    def day_totals(self, scope: Scope, first: str, last: str) -> list[DayTotal]:
        found = self._rollups(scope, first, last, hourly=False)
        own = (lambda item: {}) if scope.is_station else (lambda item: dict(item["per_station"]))
        return [DayTotal(day, int(i["sessions"]), float(i["energy_wh"]), own(i)) for day, i in found]

    def _rollups(self, scope: Scope, first: str, last: str, hourly: bool) -> list[tuple[str, dict]]:
        rollups = self.state.collection("aggregates.rollups")
        return sorted(
            (period, item) for (owner, period), item in rollups.items()
            if owner == scope and ("T" in period) == hourly and first <= period <= last
        )

    def add_group(self, org_id: str, group: GroupNode) -> None:
        """Set up a group (tests): into the tree the estate port keeps."""
        tables.seed_group(self.state, org_id, group.group_id, group.name, group.path)

    def groups_under(self, org_id: str, path: str) -> list[GroupNode]:
        groups = self.state.collection(tables.GROUPS)
        found = sorted((g for (org, _), g in groups.items() if org == org_id and g.path.startswith(path)), key=lambda g: g.path)
        return [GroupNode(g.group_id, g.name, g.path) for g in found]

    def dashboard_selection(self, username: str) -> list[str] | None:
        found = self.state.collection("aggregates.selections").get(username)
        return list(found) if found is not None else None

    def save_dashboard_selection(self, username: str, group_ids: list[str]) -> None:
        self.state.collection("aggregates.selections")[username] = list(group_ids)

    # --- the frame's own write -------------------------------------------------------------------------
    def _station(self, change: LiveChange) -> dict | None:
        return self.state.collection(tables.STATIONS).get((change.org_id, change.station_id))

    def _check_effect(self, change: LiveChange) -> None:
        effect = change.effect
        if isinstance(effect, ConnectionOpened | ConnectionClosed):
            station = self._station(change)
            if station is None or station.get("connection_id") != effect.connection_id:
                raise ConditionFailed("the station has another connection")

    def _apply_effect(self, change: LiveChange) -> None:
        effect = change.effect
        if isinstance(effect, ConnectionOpened):
            opened = Connection(
                effect.connection_id, change.org_id, change.station_id, effect.connected_at, dict(effect.powers), effect.registration,
                effect.check_at,
            )
            self.state.collection("connections.items")[effect.connection_id] = opened
        elif isinstance(effect, ConnectionClosed):
            connections.disconnect(self._station(change), effect.at)
        elif isinstance(effect, StatusReported):
            records.put_status(records.build(self.state), change.org_id, change.station_id, effect.message_id, effect.fields, effect.at)


def build(state) -> MemoryAggregates:
    return MemoryAggregates(state)
