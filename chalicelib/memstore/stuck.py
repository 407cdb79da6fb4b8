"""The stuck-sessions port in memory: reads the in-memory records port's sessions, keeps stuck records."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.ports.errors import NotFound
from chalicelib.ports.stuck import ActiveSession, Step, StuckRecord, Watched


class MemoryStuck:
    def __init__(self, state) -> None:
        self.sessions: dict[int, dict] = state.collection("records.sessions")  # the records port's own
        self.records: dict[tuple[str, str, int], StuckRecord] = state.collection("stuck.records")

    def active_sessions(self, org_id: str | None = None) -> list[ActiveSession]:
        found = [
            ActiveSession(tx, s["org_id"], s["station_id"], s["connector_id"], s["started_at"])
            for tx, s in self.sessions.items()
            if s["state"] == "Active" and (org_id is None or s["org_id"] == org_id)
        ]
        return sorted(found, key=lambda a: (a.started_at, a.transaction_id))

    def watched(self, transaction_ids: list[int]) -> list[Watched]:
        return [_watched(tx, self.sessions[tx]) for tx in transaction_ids if tx in self.sessions]

    def mark_probed(self, transaction_id: int, seen: datetime | None, at: datetime | None) -> bool:
        session = self.sessions.get(transaction_id)
        if session is None or session["state"] != "Active" or session.get("probed_at") != seen:
            return False
        session["probed_at"] = at
        return True

    def open(self, record: StuckRecord) -> None:
        key = (record.org_id, record.station_id, record.transaction_id)
        was = self.records.get(key)
        self.records[key] = replace(record, steps=(was.steps if was else ()) + record.steps)

    def advance(self, org_id: str, station_id: str, transaction_id: int, state: str | None, step: Step) -> None:
        key = (org_id, station_id, transaction_id)
        was = self.records.get(key)
        if was is None:
            raise NotFound(f"stuck record {transaction_id}")
        self.records[key] = replace(was, state=state or was.state, updated_at=step.at, steps=(*was.steps, step))

    def get(self, org_id: str, station_id: str, transaction_id: int) -> StuckRecord | None:
        return self.records.get((org_id, station_id, transaction_id))

    def of_station(self, org_id: str, station_id: str) -> list[StuckRecord]:
        return _newest_first(r for k, r in self.records.items() if k[:2] == (org_id, station_id))

    def of_organization(self, org_id: str) -> list[StuckRecord]:
        return _newest_first(r for k, r in self.records.items() if k[0] == org_id)


def _watched(transaction_id: int, s: dict) -> Watched:
    return Watched(transaction_id, s["org_id"], s["station_id"], s["connector_id"], s["state"], s["last_sample_at"],
                   float(s["last_register_wh"]), s.get("probed_at"))


def _newest_first(records) -> list[StuckRecord]:
    return sorted(records, key=lambda r: r.transaction_id, reverse=True)


def build(state) -> MemoryStuck:
    return MemoryStuck(state)
