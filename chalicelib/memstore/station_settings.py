"""The station settings port in memory: the one station dict every port reads (memstore/tables.py)."""

from __future__ import annotations

from chalicelib.memstore.tables import STATIONS
from chalicelib.ports.errors import ConditionFailed, NotFound
from chalicelib.ports.station_settings import CodeTaken, DeferredLimit, Metadata, SessionPower


class MemoryStationSettings:
    def __init__(self, state) -> None:
        # One station record per station, shared with the estate and stations ports (as the one item on DynamoDB).
        self.stations: dict[tuple[str, str], dict] = state.collection(STATIONS)
        self.codes: dict[tuple[str, str], str] = state.collection("station_settings.evse_codes")
        self.sessions: dict[int, dict] = state.collection("records.sessions")
        self.deferred: dict[tuple[str, str], DeferredLimit] = state.collection("station_settings.deferred_limits")

    def _record(self, org_id: str, station_id: str) -> dict:
        record = self.stations.get((org_id, station_id))
        if record is None:
            raise NotFound(f"station {station_id}")
        return record

    def _set(self, org_id: str, station_id: str, **changes) -> None:
        self._record(org_id, station_id).update(changes)

    def set_metadata(self, org_id: str, station_id: str, revision: int, old_code: str | None, metadata: Metadata) -> None:
        new = (metadata.evse_code or "").upper()
        holder = self.codes.get((org_id, new)) if new else None
        if holder is not None and holder != station_id:
            raise CodeTaken(metadata.evse_code)
        record = self.stations.get((org_id, station_id))
        if record is None or record.get("revision", 0) != revision:
            raise ConditionFailed(station_id)
        old = (old_code or "").upper()
        if old and old != new and self.codes.get((org_id, old)) == station_id:
            del self.codes[(org_id, old)]
        if new:
            self.codes[(org_id, new)] = station_id
        record["revision"] = revision + 1
        self._set(org_id, station_id, evse_code=metadata.evse_code, evse_name=metadata.evse_name,
                  emi3_id=metadata.emi3_id, roaming=metadata.roaming)  # fmt: skip

    def evse_code_holder(self, org_id: str, code: str) -> str | None:
        return self.codes.get((org_id, code.upper()))

    def release_evse_code(self, org_id: str, station_id: str, code: str) -> None:
        if self.codes.get((org_id, code.upper())) == station_id:
            del self.codes[(org_id, code.upper())]

    def set_registration(self, org_id: str, station_id: str, registration: str) -> None:
        self._set(org_id, station_id, registration=registration)

    def set_maintenance(self, org_id: str, station_id: str, disabled: bool) -> None:
        self._set(org_id, station_id, maintenance=disabled)

    def set_password(self, org_id: str, station_id: str, password_hash: str, previous: str | None) -> None:
        self._set(org_id, station_id, password_hash=password_hash, previous_password_hash=previous)

    def password_adopted(self, org_id: str, station_id: str, password_hash: str) -> None:
        record = self.stations.get((org_id, station_id))
        if record is not None and record.get("password_hash") == password_hash:
            record["previous_password_hash"] = None

    def latest_sessions(self, org_id: str, station_id: str, limit: int) -> list[SessionPower]:
        mine = [s for s in self.sessions.values() if (s["org_id"], s["station_id"]) == (org_id, station_id)]
        mine.sort(key=lambda s: s["started_at"], reverse=True)
        return [SessionPower(s["connector_id"], s["state"], s.get("power_w"), s["started_at"]) for s in mine[:limit]]

    def defer_max_current(self, org_id: str, station_id: str, amperes: float, since, task_id: str | None = None) -> DeferredLimit | None:
        replaced = self.deferred.get((org_id, station_id))
        self.deferred[(org_id, station_id)] = DeferredLimit(amperes, since, task_id)
        return replaced

    def deferred_limits(self, org_id: str, station_ids: list[str]) -> dict[str, DeferredLimit]:
        found = {s: self.deferred.get((org_id, s)) for s in station_ids}
        return {s: limit for s, limit in found.items() if limit is not None}

    def take_max_current(self, org_id: str, station_id: str) -> DeferredLimit | None:
        return self.deferred.pop((org_id, station_id), None)


def build(state) -> MemoryStationSettings:
    return MemoryStationSettings(state)
