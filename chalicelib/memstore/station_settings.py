"""The station settings port in memory: the same station dicts the estate and stations ports keep."""

from __future__ import annotations

from datetime import datetime

from chalicelib.ports.errors import ConditionFailed, NotFound
from chalicelib.ports.station_settings import CodeTaken, Metadata, SessionPower


class MemoryStationSettings:
    def __init__(self, state) -> None:
        # The in-memory estate and stations ports keep a station each (docs/architecture.md): a setting
        # goes to whichever holds it, as the one station item does on DynamoDB.
        self.admin: dict[tuple[str, str], dict] = state.collection("estate_stations")
        self.charging: dict[tuple[str, str], dict] = state.collection("stations.items")
        self.codes: dict[tuple[str, str], str] = state.collection("station_settings.evse_codes")
        self.sessions: dict[int, dict] = state.collection("records.sessions")

    def _records(self, org_id: str, station_id: str) -> list[dict]:
        found = [c[(org_id, station_id)] for c in (self.admin, self.charging) if (org_id, station_id) in c]
        if not found:
            raise NotFound(f"station {station_id}")
        return found

    def _set(self, org_id: str, station_id: str, **changes) -> None:
        for record in self._records(org_id, station_id):
            record.update(changes)

    def set_metadata(self, org_id: str, station_id: str, revision: int, old_code: str | None, metadata: Metadata) -> None:
        new = (metadata.evse_code or "").upper()
        holder = self.codes.get((org_id, new)) if new else None
        if holder is not None and holder != station_id:
            raise CodeTaken(metadata.evse_code)
        record = self.admin.get((org_id, station_id))
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
        self._records(org_id, station_id)
        if (org_id, station_id) in self.admin:
            self.admin[(org_id, station_id)]["password_hash"] = password_hash
        if (org_id, station_id) in self.charging:
            self.charging[(org_id, station_id)].update(password_hash=password_hash, previous_password_hash=previous)

    def password_adopted(self, org_id: str, station_id: str, password_hash: str) -> None:
        record = self.charging.get((org_id, station_id))
        if record is not None and record.get("password_hash") == password_hash:
            record["previous_password_hash"] = None

    def latest_sessions(self, org_id: str, station_id: str, limit: int) -> list[SessionPower]:
        mine = [s for s in self.sessions.values() if (s["org_id"], s["station_id"]) == (org_id, station_id)]
        mine.sort(key=lambda s: s["started_at"], reverse=True)
        return [SessionPower(s["connector_id"], s["state"], s.get("power_w"), s["started_at"]) for s in mine[:limit]]

    def heard(self, org_id: str, station_id: str, now: datetime) -> None:
        for collection in (self.admin, self.charging):
            if (org_id, station_id) in collection:
                collection[(org_id, station_id)]["last_seen_at"] = now


def build(state) -> MemoryStationSettings:
    return MemoryStationSettings(state)
