"""The configuration port: a station's OCPP configuration keys, the organization's templates per charger
model, the state of a template being applied, and which stations drift from what the system wants."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ConfigKey:
    """One configuration key of one station: what the charger has and what the system wants."""

    key: str
    value: str | None = None  # the active value, as the charger last reported or accepted it
    readonly: bool = False
    reported: bool = False  # the charger listed the key in its latest full GetConfiguration answer
    recommended: str | None = None  # the template's value when the template was applied
    desired: str | None = None  # the value the system wants active; None: no wish
    by_user: bool = False  # an operator set `desired` (else it came from the template)
    status: str | None = None  # the charger's answer to the latest ChangeConfiguration of this key
    status_at: datetime | None = None


@dataclass(frozen=True)
class StationConfig:
    """What is known of a station's configuration as a whole."""

    refreshed_at: datetime | None = None  # the latest GetConfiguration answer
    unknown_keys: tuple[str, ...] = ()  # keys the charger said it does not know
    template_id: str | None = None  # the template applied last
    applied_at: datetime | None = None
    applying: frozenset[str] = frozenset()  # keys the template's changes are still waiting for an answer of
    failed: frozenset[str] = frozenset()  # keys of those changes the charger refused (or never got)


@dataclass(frozen=True)
class Template:
    """Recommended configuration keys for one charger model of an organization."""

    org_id: str
    vendor: str
    model: str
    keys: dict[str, str] = field(default_factory=dict)
    version: int = 0
    updated_at: datetime | None = None
    # The key by which this model takes a station-wide current limit in amperes (e.g. a vendor's
    # "MaxCurrent"): scheduled max-current tasks change it instead of sending a charging profile.
    current_limit_key: str | None = None

    @property
    def template_id(self) -> str:
        return template_id(self.vendor, self.model)


@dataclass(frozen=True)
class Drift:
    """A station whose active values differ from the desired ones (`keys` of them)."""

    station_id: str
    keys: int
    since: datetime


def template_id(vendor: str, model: str) -> str:
    """The one id of a charger model's template: vendor and model as BootNotification reports them,
    case-insensitive (OCPP's CiString), so a boot finds its template with one read."""
    name = f"{vendor.strip().casefold()}\n{model.strip().casefold()}"
    return hashlib.sha256(name.encode()).hexdigest()[:20]


class Configuration(Protocol):
    # --- a station's keys -------------------------------------------------------------------------
    def keys(self, org_id: str, station_id: str) -> list[ConfigKey]:
        """Every stored key of the station, ordered by key."""

    def key(self, org_id: str, station_id: str, key: str) -> ConfigKey | None: ...

    def put_keys(self, org_id: str, station_id: str, keys: list[ConfigKey]) -> None:
        """Write these keys whole (others untouched)."""

    def delete_keys(self, org_id: str, station_id: str, keys: list[str]) -> None: ...

    def meta(self, org_id: str, station_id: str) -> StationConfig: ...

    def put_meta(self, org_id: str, station_id: str, meta: StationConfig) -> None: ...

    def settle(self, org_id: str, station_id: str, key: str, ok: bool) -> StationConfig | None:
        """Atomically take an answered key out of `applying` (into `failed` unless ok); the meta
        after the change, or None when the key was not waiting (answered already, or no template's)."""

    # --- templates (one per charger model and organization) -----------------------------------------
    def templates(self, org_id: str) -> list[Template]:
        """Every template of the organization, ordered by vendor and model."""

    def template(self, org_id: str, template_id: str) -> Template | None: ...

    def put_template(self, template: Template) -> Template:
        """Create (version 0: AlreadyExists when the model has one) or replace the version the caller
        read (ConditionFailed when it changed, NotFound when deleted); the stored one, version + 1."""

    def delete_template(self, org_id: str, template_id: str) -> None:
        """NotFound when there is none."""

    # --- drift, kept per organization so the list across a domain is one query ----------------------
    def set_drift(self, org_id: str, station_id: str, keys: int, now: datetime) -> None:
        """Record how many keys of the station drift (0 removes the station from the list)."""

    def drifting(self, org_id: str) -> list[Drift]:
        """The organization's stations with drift, by station id."""
