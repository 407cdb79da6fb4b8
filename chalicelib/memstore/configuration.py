"""The configuration port in memory: keys per station, templates and drift per organization."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from chalicelib.ports.configuration import ConfigKey, Drift, StationConfig, Template
from chalicelib.ports.errors import AlreadyExists, ConditionFailed, NotFound


class MemoryConfiguration:
    def __init__(self, state) -> None:
        self.items: dict[tuple[str, str], dict[str, ConfigKey]] = state.collection("configuration.keys")
        self.metas: dict[tuple[str, str], StationConfig] = state.collection("configuration.meta")
        self.stored_templates: dict[tuple[str, str], Template] = state.collection("configuration.templates")
        self.drifts: dict[tuple[str, str], Drift] = state.collection("configuration.drift")

    def keys(self, org_id: str, station_id: str) -> list[ConfigKey]:
        found = self.items.get((org_id, station_id), {})
        return [found[k] for k in sorted(found)]

    def key(self, org_id: str, station_id: str, key: str) -> ConfigKey | None:
        return self.items.get((org_id, station_id), {}).get(key)

    def put_keys(self, org_id: str, station_id: str, keys: list[ConfigKey]) -> None:
        self.items.setdefault((org_id, station_id), {}).update({k.key: k for k in keys})

    def delete_keys(self, org_id: str, station_id: str, keys: list[str]) -> None:
        found = self.items.get((org_id, station_id), {})
        for key in keys:
            found.pop(key, None)

    def meta(self, org_id: str, station_id: str) -> StationConfig:
        return self.metas.get((org_id, station_id), StationConfig())

    def put_meta(self, org_id: str, station_id: str, meta: StationConfig) -> None:
        self.metas[(org_id, station_id)] = meta

    def settle(self, org_id: str, station_id: str, key: str, ok: bool) -> StationConfig | None:
        meta = self.meta(org_id, station_id)
        if key not in meta.applying:
            return None
        failed = meta.failed if ok else meta.failed | {key}
        meta = replace(meta, applying=meta.applying - {key}, failed=failed)
        self.metas[(org_id, station_id)] = meta
        return meta

    def templates(self, org_id: str) -> list[Template]:
        found = [t for (org, _), t in self.stored_templates.items() if org == org_id]
        return sorted(found, key=lambda t: (t.vendor.casefold(), t.model.casefold()))

    def template(self, org_id: str, template_id: str) -> Template | None:
        return self.stored_templates.get((org_id, template_id))

    def put_template(self, template: Template) -> Template:
        key = (template.org_id, template.template_id)
        stored = self.stored_templates.get(key)
        if template.version == 0 and stored is not None:
            raise AlreadyExists(f"template {template.vendor} {template.model}")
        if template.version != 0 and stored is None:
            raise NotFound(f"template {template.template_id}")
        if stored is not None and stored.version != template.version:
            raise ConditionFailed(f"template {template.template_id} changed")
        saved = replace(template, keys=dict(template.keys), version=template.version + 1)
        self.stored_templates[key] = saved
        return saved

    def delete_template(self, org_id: str, template_id: str) -> None:
        if self.stored_templates.pop((org_id, template_id), None) is None:
            raise NotFound(f"template {template_id}")

    def set_drift(self, org_id: str, station_id: str, keys: int, now: datetime) -> None:
        key = (org_id, station_id)
        if keys <= 0:
            self.drifts.pop(key, None)
            return
        previous = self.drifts.get(key)
        self.drifts[key] = Drift(station_id, keys, previous.since if previous else now)

    def drifting(self, org_id: str) -> list[Drift]:
        return [d for (org, sid), d in sorted(self.drifts.items()) if org == org_id]


def build(state) -> MemoryConfiguration:
    return MemoryConfiguration(state)
