"""The station settings port on DynamoDB: attributes of the station item, EVSE code claims in the counters table."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, UpdateError

from chalicelib.ports.errors import ConditionFailed, NotFound
from chalicelib.ports.station_settings import CodeTaken, Deferral, DeferredLimit, Metadata, SessionPower
from chalicelib.storage.errors import condition_failed, translated
from chalicelib.storage.models import DeferredLimitItem, EvseCodeClaimItem, StationItem, TransactionItem, station_key
from chalicelib.storage.writes import Refused, Writes, set_or_remove

DEFERRED_LIMIT_SK = "MAXCURRENT"


def claim_key(org_id: str, code: str) -> str:
    return f"evse-code#{org_id}#{code.upper()}"


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").upper() == (b or "").upper()


class DynamoStationSettings:
    def set_metadata(self, org_id: str, station_id: str, revision: int, old_code: str | None, metadata: Metadata) -> None:
        writes = Writes()
        station = StationItem(org_id, station_id)
        actions = [
            set_or_remove(StationItem.evse_code, metadata.evse_code),
            set_or_remove(StationItem.evse_name, metadata.evse_name),
            set_or_remove(StationItem.emi3_id, metadata.emi3_id),
            StationItem.roaming.set(metadata.roaming),
            StationItem.revision.add(1),
        ]
        same = StationItem.revision == revision
        fresh = (same | StationItem.revision.does_not_exist()) if revision == 0 else same
        writes.update(station, actions, condition=StationItem.station_id.exists() & fresh)
        new_code = metadata.evse_code
        if new_code and not _same(new_code, old_code):
            claim = EvseCodeClaimItem(claim_key(org_id, new_code), station_id=station_id)
            writes.save(claim, condition=EvseCodeClaimItem.name.does_not_exist() | (EvseCodeClaimItem.station_id == station_id))
        if old_code and not _same(new_code, old_code):
            writes.delete(EvseCodeClaimItem(claim_key(org_id, old_code)), condition=EvseCodeClaimItem.station_id == station_id)
        try:
            writes.commit()
        except Refused as exc:
            holder = self.evse_code_holder(org_id, new_code) if new_code else None
            if holder is not None and holder != station_id:
                raise CodeTaken(new_code) from exc
            raise ConditionFailed(station_id) from exc

    def evse_code_holder(self, org_id: str, code: str) -> str | None:
        try:
            return EvseCodeClaimItem.get(claim_key(org_id, code), consistent_read=True).station_id
        except DoesNotExist:
            return None

    def release_evse_code(self, org_id: str, station_id: str, code: str) -> None:
        try:
            EvseCodeClaimItem(claim_key(org_id, code)).delete(condition=EvseCodeClaimItem.station_id == station_id)
        except DeleteError as exc:
            if not condition_failed(exc):
                raise

    def set_registration(self, org_id: str, station_id: str, registration: str) -> None:
        _update(org_id, station_id, [StationItem.registration.set(registration)])

    def set_maintenance(self, org_id: str, station_id: str, disabled: bool) -> None:
        _update(org_id, station_id, [StationItem.maintenance.set(disabled)])

    def set_password(self, org_id: str, station_id: str, password_hash: str, previous: str | None) -> None:
        _update(org_id, station_id, [
            StationItem.password_hash.set(password_hash),
            set_or_remove(StationItem.previous_password_hash, previous),
        ])  # fmt: skip

    def password_adopted(self, org_id: str, station_id: str, password_hash: str) -> None:
        try:
            StationItem(org_id, station_id).update(
                actions=[StationItem.previous_password_hash.remove()],
                condition=(StationItem.password_hash == password_hash) & StationItem.previous_password_hash.exists(),
                add_version_condition=False,
            )
        except UpdateError as exc:
            if not condition_failed(exc):
                raise  # else rotated again meanwhile, or nothing to forget

    def latest_sessions(self, org_id: str, station_id: str, limit: int) -> list[SessionPower]:
        found = TransactionItem.by_station.query(
            station_key(org_id, station_id), scan_index_forward=False, limit=limit,
            attributes_to_get=["connector_id", "state", "power_w", "started_at"],
        )  # fmt: skip
        return [SessionPower(int(s.connector_id), s.state, s.power_w, s.started_at) for s in found]

    def defer_max_current(self, org_id: str, station_id: str, amperes: float, since, task_id: str | None = None) -> DeferredLimit | None:
        """One UpdateItem; the limit it replaces comes back with it (ALL_OLD: UPDATED_OLD may leave out an
        attribute whose value the update did not change)."""
        actions = _defer_actions(amperes, since, task_id)
        answer = DeferredLimitItem._get_connection().update_item(
            station_key(org_id, station_id), DEFERRED_LIMIT_SK, actions=actions, return_values="ALL_OLD"
        )
        return _deferred(answer.get("Attributes") or {})

    def deferred_limits(self, org_id: str, station_ids: list[str]) -> dict[str, DeferredLimit]:
        """BatchGetItem, 100 keys a request (PynamoDB reads the unprocessed keys again)."""
        keys = [(station_key(org_id, s), DEFERRED_LIMIT_SK) for s in dict.fromkeys(station_ids)]
        with translated():
            items = list(DeferredLimitItem.batch_get(keys, consistent_read=True))
        prefix = len(station_key(org_id, ""))
        return {item.pk[prefix:]: DeferredLimit(float(item.amperes), item.since, item.task_id)
                for item in items if item.amperes is not None}

    def take_max_current(self, org_id: str, station_id: str) -> DeferredLimit | None:
        """One conditional UpdateItem removing the limit and returning it: a concurrent boot finds it gone."""
        actions = [DeferredLimitItem.amperes.remove(), DeferredLimitItem.since.remove(), DeferredLimitItem.task_id.remove()]
        try:
            answer = DeferredLimitItem._get_connection().update_item(
                station_key(org_id, station_id), DEFERRED_LIMIT_SK, actions=actions,
                condition=DeferredLimitItem.amperes.exists(), return_values="UPDATED_OLD",
            )
        except UpdateError as exc:
            if condition_failed(exc):
                return None
            raise
        return _deferred(answer.get("Attributes") or {})


def _defer_actions(amperes: float, since, task_id: str | None) -> list:
    return [DeferredLimitItem.amperes.set(amperes), DeferredLimitItem.since.set(since),
            set_or_remove(DeferredLimitItem.task_id, task_id)]


def deferral_write(writes: Writes, deferral: Deferral) -> None:
    """The deferred limit as one Put (the item holds only the limit), conditioned on the limit the caller
    read there (`seen`): when it holds, the replaced limit is `seen`, as ALL_OLD would have answered."""
    seen = deferral.seen
    if seen is None:
        unchanged = DeferredLimitItem.amperes.does_not_exist()
    else:
        same_task = DeferredLimitItem.task_id.does_not_exist() if seen.task_id is None else DeferredLimitItem.task_id == seen.task_id
        unchanged = (DeferredLimitItem.amperes == seen.amperes) & (DeferredLimitItem.since == seen.since) & same_task
    item = DeferredLimitItem(station_key(deferral.org_id, deferral.station_id), DEFERRED_LIMIT_SK,
                             amperes=deferral.amperes, since=deferral.since, task_id=deferral.task_id)
    writes.save(item, condition=unchanged)


def _deferred(old: dict) -> DeferredLimit | None:
    """The limit in an UpdateItem's old attributes (None when there was none)."""
    if "amperes" not in old:
        return None
    task_id = old["task_id"]["S"] if "task_id" in old else None
    return DeferredLimit(float(old["amperes"]["N"]), DeferredLimitItem.since.deserialize(old["since"]["S"]), task_id)


def _update(org_id: str, station_id: str, actions: list) -> None:
    try:
        StationItem(org_id, station_id).update(actions=actions, condition=StationItem.station_id.exists(), add_version_condition=False)
    except UpdateError as exc:
        if condition_failed(exc):
            raise NotFound(f"station {station_id}") from exc
        raise


def build() -> DynamoStationSettings:
    return DynamoStationSettings()
