"""The aggregates table: live group counters, stations' live records, session roll-ups (ADR 0003)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.operand import Path

from chalicelib.storage.base import get_each
from chalicelib.storage.models import (
    ChargingGroupItem,
    GroupLiveItem,
    OrganizationItem,
    RollupDayItem,
    RollupHourItem,
    StationDayItem,
    StationHourItem,
    StationItem,
    StationLiveItem,
    station_key,
)
from chalicelib.storage.writes import Writes

ORPHANS = "-"  # group key of stations without a group


# --- keys -----------------------------------------------------------------------------------------
def live_pk(org_id: str) -> str:
    return f"{org_id}#LIVE"


LIVE_SK = "LIVE"  # a station's live record, in its own partition of station-records


def scope_pk(org_id: str, group_id: str | None) -> str:
    """Roll-up partition of a group subtree, or of the organization's orphan stations."""
    return f"{org_id}#G#{group_id}" if group_id else f"{org_id}#ORPHANS"


def day_sk(day: str) -> str:
    return f"D#{day}"


def hour_sk(hour: str) -> str:
    return f"H#{hour}"


def station_day_sk(day: str) -> str:
    return f"DAY#{day}"


def station_hour_sk(hour: str) -> str:
    return f"HOUR#{hour}"


def station_attribute(kind: str, station_id: str) -> str:
    """Per-station attribute on the station's own group's day item: n:<id> (sessions), wh:<id> (energy)."""
    return f"{kind}:{station_id}"


# --- stations' live records and group counters ------------------------------------------------------
def get_station_live(org_id: str, station_id: str) -> StationLiveItem | None:
    try:
        return StationLiveItem.get(station_key(org_id, station_id), LIVE_SK, consistent_read=True)
    except DoesNotExist:
        return None


def station_and_live(org_id: str, station_id: str) -> tuple[StationItem | None, StationLiveItem | None]:
    """A station and its live record in one BatchGetItem ($connect reads both; the live record consistently,
    as `get_station_live` does, the station as `stations.get_station` does)."""
    found = get_each(
        {
            StationItem: {"org_id": {"S": org_id}, "station_id": {"S": station_id}},
            StationLiveItem: {"pk": {"S": station_key(org_id, station_id)}, "sk": {"S": LIVE_SK}},
        },
        consistent=(StationLiveItem,),
    )
    return found.get(StationItem), found.get(StationLiveItem)  # type: ignore[return-value]


def station_lives(org_id: str, station_ids: list[str]) -> Iterator[StationLiveItem]:
    """The live records of these stations (BatchGetItem, 100 keys a request)."""
    return StationLiveItem.batch_get([(station_key(org_id, s), LIVE_SK) for s in station_ids])


def group_counters(org_id: str) -> list[GroupLiveItem]:
    """Every group's live counters of an organization: one Query (one item per group)."""
    return list(GroupLiveItem.query(live_pk(org_id)))


def write_live(writes: Writes, org_id: str, station_id: str, values: dict | None, expected_rev: int | None) -> None:
    """Put (or delete, when `values` is None) a station's live record, if it is still at `expected_rev`."""
    item = StationLiveItem(station_key(org_id, station_id), LIVE_SK)
    if expected_rev is None:
        condition = StationLiveItem.sk.does_not_exist()
    else:
        condition = StationLiveItem.rev == expected_rev
    if values is None:
        writes.delete(item, condition)
        return
    for name, value in values.items():
        setattr(item, name, value)
    item.rev = (expected_rev or 0) + 1
    writes.save(item, condition)


def check_live(writes: Writes, org_id: str, station_id: str, expected_rev: int | None) -> None:
    """Make the transaction depend on a station's live record being still at `expected_rev`."""
    condition = StationLiveItem.sk.does_not_exist() if expected_rev is None else StationLiveItem.rev == expected_rev
    writes.check(StationLiveItem, station_key(org_id, station_id), LIVE_SK, condition)


def add_counters(writes: Writes, org_id: str, group_id: str | None, deltas: dict[str, int]) -> None:
    item = GroupLiveItem(live_pk(org_id), group_id or ORPHANS)
    attributes = GroupLiveItem.get_attributes()
    writes.update(item, [attributes[name].add(value) for name, value in sorted(deltas.items())])


def correct_counters(org_id: str, group_key: str, seen: dict[str, int], expected: dict[str, int]) -> bool:
    """Set a group's counters to `expected` if they still hold `seen` (a recount never races a change)."""
    attributes = GroupLiveItem.get_attributes()
    condition = None
    for name, value in seen.items():
        term = attributes[name] == value if value else (attributes[name].does_not_exist() | (attributes[name] == 0))
        condition = term if condition is None else condition & term
    actions = [attributes[name].set(value) for name, value in expected.items()]
    try:
        GroupLiveItem(live_pk(org_id), group_key).update(actions, condition)
    except UpdateError:
        return False
    return True


# --- session roll-ups ------------------------------------------------------------------------------
def scope_key(scope) -> str:
    """Partition of a roll-up scope (ports.aggregates.Scope): a station's records, a group's subtree, orphans."""
    return station_key(scope.org_id, scope.station_id) if scope.is_station else scope_pk(scope.org_id, scope.group_id)


def period_key(scope, period: str) -> str:
    """Sort key of a scope's day (YYYY-MM-DD) or UTC hour (YYYY-MM-DDTHH) item."""
    hourly = "T" in period
    if scope.is_station:
        return station_hour_sk(period) if hourly else station_day_sk(period)
    return hour_sk(period) if hourly else day_sk(period)


def rollup_update(increment) -> tuple[object, list]:
    """(model, ADD actions) of one roll-up increment (see ports.aggregates.Increment)."""
    model_class = {"scope_day": RollupDayItem, "scope_hour": RollupHourItem,
                   "station_day": StationDayItem, "station_hour": StationHourItem}[increment.kind]
    model = model_class(scope_key(increment.scope), period_key(increment.scope, increment.period))
    actions = [model_class.sessions.add(increment.sessions), model_class.energy_wh.add(increment.energy_wh)]
    if increment.used:
        actions.append(model_class.used.add(increment.used))
    if increment.expires is not None:
        actions.append(model_class.expires.set(increment.expires))
    for station_id, (sessions, energy) in sorted(increment.per_station.items()):
        actions.append(Path([station_attribute("n", station_id)]).add(sessions))
        actions.append(Path([station_attribute("wh", station_id)]).add(energy))
    return model, actions


def rollup_item(increment) -> tuple[str, dict]:
    """(table name, DynamoDB item) holding an increment as a whole item (bulk loading, benchmarks)."""
    model, actions = rollup_update(increment)
    item = model.serialize()
    item["sessions"] = {"N": str(increment.sessions)}
    item["energy_wh"] = {"N": _number(increment.energy_wh)}
    if increment.used:
        item["used"] = {"N": str(increment.used)}
    if increment.expires is not None:
        item["expires"] = {"N": str(int(increment.expires.timestamp()))}
    for station_id, (sessions, energy) in increment.per_station.items():
        item[station_attribute("n", station_id)] = {"N": str(sessions)}
        item[station_attribute("wh", station_id)] = {"N": _number(energy)}
    return model.Meta.table_name, item


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def hour_totals(pk: str, first: datetime, last: datetime, station: bool = False) -> Iterator[tuple[int, float, int]]:
    """(sessions, Wh, points whose latest use is that hour) of each hourly item from `first` to `last`: one Query."""
    model, sk = (StationHourItem, station_hour_sk) if station else (RollupHourItem, hour_sk)
    for item in model.query(pk, model.sk.between(sk(utc_text(first)), sk(utc_text(last)))):
        yield int(item.sessions or 0), float(item.energy_wh or 0), int(item.used or 0)


def station_day_totals(pk: str, first: str, last: str) -> dict[str, tuple[int, float]]:
    """Local date -> (sessions, Wh) of a station's daily items from `first` to `last`: one Query."""
    condition = StationDayItem.sk.between(station_day_sk(first), station_day_sk(last))
    return {item.sk[4:]: (int(item.sessions or 0), float(item.energy_wh or 0)) for item in StationDayItem.query(pk, condition)}


def scope_day_totals(pk: str, first: str, last: str) -> Iterator[tuple[str, int, float, dict[str, tuple[int, float]]]]:
    """(local date, sessions, Wh, {own station: (sessions, Wh)}) of a scope's daily items: one Query."""
    for raw in raw_range(RollupDayItem, pk, day_sk(first), day_sk(last)):
        stations = {
            name[2:]: (int(value["N"]), float(raw.get(station_attribute("wh", name[2:]), {}).get("N", 0)))
            for name, value in raw.items()
            if name.startswith("n:")
        }
        yield raw["sk"]["S"][2:], int(raw.get("sessions", {}).get("N", 0)), float(raw.get("energy_wh", {}).get("N", 0)), stations


def raw_range(model_class, pk: str, low: str, high: str) -> Iterator[dict]:
    """Every item (raw, with attributes the model does not declare) of `pk` whose sk is in [low, high]."""
    table = model_class._get_connection()
    start = None
    while True:
        page = table.query(pk, range_key_condition=model_class.sk.between(low, high), exclusive_start_key=start)
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return


# --- what a request or a stop needs to read --------------------------------------------------------
def groups_under(org_id: str, path: str) -> list[ChargingGroupItem]:
    """The group whose path is `path` and all its descendants (id, name, path): one Query of `by-path`."""
    names = ["group_id", "name", "path"]
    return list(ChargingGroupItem.by_path.query(org_id, ChargingGroupItem.path.startswith(path), attributes_to_get=names))


def get_station(org_id: str, station_id: str) -> StationItem | None:
    try:
        return StationItem.get(org_id, station_id)
    except DoesNotExist:
        return None


def timezone_of(org_id: str) -> str:
    try:
        return OrganizationItem.get(org_id).timezone or "UTC"
    except DoesNotExist:
        return "UTC"


def utc_text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H")
