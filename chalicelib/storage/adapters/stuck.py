"""The stuck-sessions port on DynamoDB: the sparse `active` index of the transactions table, the session's
probe mark, and stuck records in the aggregates table (one partition per organization; ADR 0017)."""

from __future__ import annotations

import json
from datetime import datetime

from pynamodb.exceptions import UpdateError

from chalicelib import clock
from chalicelib.ports.errors import NotFound
from chalicelib.ports.stuck import ActiveSession, Step, StuckRecord, Watched
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import StuckItem, TransactionItem
from chalicelib.storage.stuck import ACTIVE_SHARDS, shard_key, stuck_pk, stuck_sk
from chalicelib.storage.writes import set_or_remove

BATCH = 100  # BatchGetItem's limit
WATCHED = ["transaction_id", "org_id", "station_id", "connector_id", "state", "last_sample_at", "last_register_wh",
           "probed_at"]


class DynamoStuck:
    def active_sessions(self, org_id: str | None = None) -> list[ActiveSession]:
        prefix = None if org_id is None else f"{org_id}#"
        found = []
        for shard in range(ACTIVE_SHARDS):
            condition = None if prefix is None else TransactionItem.active_key.startswith(prefix)
            for item in TransactionItem.active.query(shard_key(shard), condition):
                found.append(ActiveSession(int(item.transaction_id), item.org_id, item.station_id,
                                           int(item.connector_id), clock.parse(item.active_key.rsplit("#", 1)[1])))
        return sorted(found, key=lambda a: (a.started_at, a.transaction_id))

    def watched(self, transaction_ids: list[int]) -> list[Watched]:
        found = []
        for start in range(0, len(transaction_ids), BATCH):
            chunk = transaction_ids[start : start + BATCH]
            found.extend(_watched(i) for i in TransactionItem.batch_get(chunk, attributes_to_get=WATCHED))
        return found

    def mark_probed(self, transaction_id: int, seen: datetime | None, at: datetime | None) -> bool:
        was = TransactionItem.probed_at.does_not_exist() if seen is None else TransactionItem.probed_at == seen
        mark = set_or_remove(TransactionItem.probed_at, at)
        try:
            TransactionItem(transaction_id).update(
                actions=[mark],
                condition=(TransactionItem.state == "Active") & was,
                add_version_condition=False,
            )
        except UpdateError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def open(self, record: StuckRecord) -> None:
        item = StuckItem(stuck_pk(record.org_id), stuck_sk(record.station_id, record.transaction_id))
        item.update(actions=[
            StuckItem.transaction_id.set(record.transaction_id),
            StuckItem.station_id.set(record.station_id),
            StuckItem.connector_id.set(record.connector_id),
            StuckItem.group_path.set(record.group_path) if record.group_path else StuckItem.group_path.remove(),
            StuckItem.state.set(record.state),
            StuckItem.updated_at.set(record.updated_at),
            StuckItem.steps.set((StuckItem.steps | []).append([_step_text(s) for s in record.steps])),
        ], add_version_condition=False)

    def advance(self, org_id: str, station_id: str, transaction_id: int, state: str | None, step: Step) -> None:
        actions = [StuckItem.updated_at.set(step.at), StuckItem.steps.set(StuckItem.steps.append([_step_text(step)]))]
        if state is not None:
            actions.append(StuckItem.state.set(state))
        try:
            StuckItem(stuck_pk(org_id), stuck_sk(station_id, transaction_id)).update(
                actions=actions, condition=StuckItem.sk.exists(), add_version_condition=False
            )
        except UpdateError as exc:
            if condition_failed(exc):
                raise NotFound(f"stuck record {transaction_id}") from exc
            raise

    def get(self, org_id: str, station_id: str, transaction_id: int) -> StuckRecord | None:
        try:
            return _record(org_id, StuckItem.get(stuck_pk(org_id), stuck_sk(station_id, transaction_id)))
        except StuckItem.DoesNotExist:
            return None

    def of_station(self, org_id: str, station_id: str) -> list[StuckRecord]:
        items = StuckItem.query(stuck_pk(org_id), StuckItem.sk.startswith(f"{station_id}#"), scan_index_forward=False)
        return _newest_first(_record(org_id, i) for i in items)

    def of_organization(self, org_id: str) -> list[StuckRecord]:
        return _newest_first(_record(org_id, i) for i in StuckItem.query(stuck_pk(org_id)))


def _watched(item: TransactionItem) -> Watched:
    return Watched(int(item.transaction_id), item.org_id, item.station_id, int(item.connector_id), item.state,
                   item.last_sample_at, float(item.last_register_wh), item.probed_at)


def _step_text(step: Step) -> str:
    return json.dumps({"kind": step.kind, "at": step.at.isoformat(), "detail": step.detail,
                       "operator_id": step.operator_id}, sort_keys=True)


def _step(text: str) -> Step:
    value = json.loads(text)
    return Step(value["kind"], clock.parse(value["at"]), value.get("detail") or {}, value.get("operator_id"))


def _record(org_id: str, item: StuckItem) -> StuckRecord:
    return StuckRecord(org_id, item.station_id, int(item.transaction_id), int(item.connector_id), item.group_path,
                       item.state, item.updated_at, tuple(_step(s) for s in item.steps or ()))


def _newest_first(records) -> list[StuckRecord]:
    return sorted(records, key=lambda r: r.transaction_id, reverse=True)


def build() -> DynamoStuck:
    return DynamoStuck()
