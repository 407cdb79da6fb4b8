"""The configuration port on DynamoDB: items of the station-records table, a station's keys in its own
partition (CFG#<key>, CONFIG), the organization's templates and drift list under <org>#*CONFIG."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.ports.configuration import ConfigKey, Drift, StationConfig, Template
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import (
    ConfigDriftItem,
    ConfigKeyItem,
    ConfigTemplateItem,
    StationConfigItem,
    station_key,
)

KEY_PREFIX = "CFG#"
META_SK = "CONFIG"
TEMPLATE_PREFIX = "TPL#"
DRIFT_PREFIX = "DRIFT#"


def org_pk(org_id: str) -> str:
    """The organization's configuration partition: '*' never appears in a station id."""
    return f"{org_id}#*CONFIG"


def key_value(item: ConfigKeyItem) -> ConfigKey:
    return ConfigKey(
        item.key, item.value, bool(item.readonly), bool(item.reported), item.recommended, item.desired,
        bool(item.by_user), item.status, item.status_at,
    )


def template_value(org_id: str, item: ConfigTemplateItem) -> Template:
    return Template(org_id, item.vendor, item.model, dict(item.keys.as_dict()), int(item.version), item.updated_at,
                    item.current_limit_key)



class DynamoConfiguration:
    def keys(self, org_id: str, station_id: str) -> list[ConfigKey]:
        query = ConfigKeyItem.query(station_key(org_id, station_id), ConfigKeyItem.sk.startswith(KEY_PREFIX))
        return [key_value(item) for item in query]

    def key(self, org_id: str, station_id: str, key: str) -> ConfigKey | None:
        try:
            return key_value(ConfigKeyItem.get(station_key(org_id, station_id), KEY_PREFIX + key))
        except DoesNotExist:
            return None

    def put_keys(self, org_id: str, station_id: str, keys: list[ConfigKey]) -> None:
        pk = station_key(org_id, station_id)
        with ConfigKeyItem.batch_write() as batch:
            for k in keys:
                batch.save(ConfigKeyItem(
                    pk, KEY_PREFIX + k.key, key=k.key, value=k.value, readonly=k.readonly, reported=k.reported,
                    recommended=k.recommended, desired=k.desired, by_user=k.by_user, status=k.status,
                    status_at=k.status_at,
                ))

    def delete_keys(self, org_id: str, station_id: str, keys: list[str]) -> None:
        pk = station_key(org_id, station_id)
        with ConfigKeyItem.batch_write() as batch:
            for key in keys:
                batch.delete(ConfigKeyItem(pk, KEY_PREFIX + key))

    def meta(self, org_id: str, station_id: str) -> StationConfig:
        try:
            item = StationConfigItem.get(station_key(org_id, station_id), META_SK, consistent_read=True)
        except DoesNotExist:
            return StationConfig()
        return _meta_value(item)

    def put_meta(self, org_id: str, station_id: str, meta: StationConfig) -> None:
        StationConfigItem(
            station_key(org_id, station_id), META_SK, refreshed_at=meta.refreshed_at,
            unknown_keys=list(meta.unknown_keys), template_id=meta.template_id, applied_at=meta.applied_at,
            applying=set(meta.applying) or None, failed=set(meta.failed) or None,
        ).save()

    def settle(self, org_id: str, station_id: str, key: str, ok: bool) -> StationConfig | None:
        item = StationConfigItem(station_key(org_id, station_id), META_SK)
        actions = [StationConfigItem.applying.delete({key})]
        if not ok:
            actions.append(StationConfigItem.failed.add({key}))
        try:
            # One UpdateItem: concurrent answers each remove their own key, and exactly one sees the set empty.
            item.update(actions=actions, condition=StationConfigItem.applying.contains(key))
        except UpdateError as exc:
            if condition_failed(exc):
                return None
            raise
        return _meta_value(item)

    def templates(self, org_id: str) -> list[Template]:
        query = ConfigTemplateItem.query(org_pk(org_id), ConfigTemplateItem.sk.startswith(TEMPLATE_PREFIX))
        found = [template_value(org_id, item) for item in query]
        return sorted(found, key=lambda t: (t.vendor.casefold(), t.model.casefold()))

    def template(self, org_id: str, template_id: str) -> Template | None:
        try:
            return template_value(org_id, ConfigTemplateItem.get(org_pk(org_id), TEMPLATE_PREFIX + template_id))
        except DoesNotExist:
            return None

    def put_template(self, template: Template) -> Template:
        item = ConfigTemplateItem(
            org_pk(template.org_id), TEMPLATE_PREFIX + template.template_id, vendor=template.vendor,
            model=template.model, keys=dict(template.keys), version=template.version + 1,
            updated_at=template.updated_at, current_limit_key=template.current_limit_key,
        )
        if template.version == 0:
            condition = ConfigTemplateItem.sk.does_not_exist()
        else:
            condition = ConfigTemplateItem.version == template.version
        try:
            item.save(condition=condition)
        except PutError as exc:
            if not condition_failed(exc):
                raise
            if template.version == 0:
                raise AlreadyExists(f"template {template.vendor} {template.model}") from None
            if self.template(template.org_id, template.template_id) is None:
                raise NotFound(f"template {template.template_id}") from None
            raise ConditionFailed(f"template {template.template_id} changed") from None
        return template_value(template.org_id, item)

    def delete_template(self, org_id: str, template_id: str) -> None:
        try:
            ConfigTemplateItem(org_pk(org_id), TEMPLATE_PREFIX + template_id).delete(
                condition=ConfigTemplateItem.sk.exists()
            )
        except DeleteError as exc:
            if condition_failed(exc):
                raise NotFound(f"template {template_id}") from None
            raise

    def set_drift(self, org_id: str, station_id: str, keys: int, now: datetime) -> None:
        item = ConfigDriftItem(org_pk(org_id), DRIFT_PREFIX + station_id)
        if keys <= 0:
            item.delete()
            return
        item.update(actions=[
            ConfigDriftItem.station_id.set(station_id),
            ConfigDriftItem.keys.set(keys),
            ConfigDriftItem.since.set(ConfigDriftItem.since | now),  # drifting since the first time
        ])

    def drifting(self, org_id: str) -> list[Drift]:
        query = ConfigDriftItem.query(org_pk(org_id), ConfigDriftItem.sk.startswith(DRIFT_PREFIX))
        return [Drift(item.station_id, int(item.keys), item.since) for item in query]


def _meta_value(item: StationConfigItem) -> StationConfig:
    return StationConfig(
        item.refreshed_at, tuple(item.unknown_keys or ()), item.template_id, item.applied_at,
        frozenset(item.applying or ()), frozenset(item.failed or ()),
    )


def build() -> DynamoConfiguration:
    return DynamoConfiguration()
