"""The load-management port on DynamoDB: limits and exclusions in one aggregates partition per organization."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError

from chalicelib.ports.load import GroupLimit, LoadSettings
from chalicelib.storage.errors import condition_failed
from chalicelib.storage.models import LoadSettingItem
from chalicelib.storage.stuck import load_pk


class DynamoLoad:
    def settings(self, org_id: str) -> LoadSettings:
        limits, excluded = {}, set()
        for item in LoadSettingItem.query(load_pk(org_id)):
            kind, name = item.sk.split("#", 1)
            if kind == "G":
                limits[name] = GroupLimit(name, float(item.limit_a), int(item.phases), float(item.min_a))
            else:
                excluded.add(name)
        return LoadSettings(limits, frozenset(excluded))

    def set_limit(self, org_id: str, limit: GroupLimit) -> None:
        LoadSettingItem(load_pk(org_id), f"G#{limit.group_id}", limit_a=limit.limit_a, phases=limit.phases,
                        min_a=limit.min_a).save()

    def clear_limit(self, org_id: str, group_id: str) -> bool:
        try:
            LoadSettingItem(load_pk(org_id), f"G#{group_id}").delete(condition=LoadSettingItem.sk.exists())
        except DeleteError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def set_excluded(self, org_id: str, station_id: str, excluded: bool) -> None:
        item = LoadSettingItem(load_pk(org_id), f"X#{station_id}")
        item.save() if excluded else item.delete()


def build() -> DynamoLoad:
    return DynamoLoad()
