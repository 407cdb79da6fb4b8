"""A station's configuration keys (advanced settings): read and search them, and the drift list of the
operator's domain. The commands that change them are in configuration_commands.py."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.api.routing import route
from chalicelib.api.schemas import Out
from chalicelib.domain import configuration

TAG = "charging station configuration"
PATH = "/api/v1/stations/{station_id}/configuration"


class ConfigurationQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    q: str | None = Field(default=None, max_length=50, description="Only keys containing this text (case-insensitive)")
    drift: bool = Field(default=False, description="Only keys whose active value is not the desired one")


class KeyOut(Out):
    key: str
    value: str | None = Field(description="Active value, as the charger last reported or accepted it")
    readonly: bool = Field(description="Read-only keys cannot be changed (shown grayed)")
    reported: bool = Field(description="The charger listed the key in its latest refresh")
    recommended: str | None = Field(description="The system's value from the charger model's template")
    desired: str | None = Field(description="The value the system wants active")
    origin: str | None = Field(description="Added by System, System Value Overwritten, Added by User, or null (the charger's own)")
    drift: bool = Field(description="The active value is not the desired one")
    status: str | None = Field(description="The charger's answer to the latest change: Accepted, Rejected, RebootRequired, NotSupported")
    status_at: datetime | None


class ConfigurationOut(Out):
    station_id: str
    source: str = Field(description="Defined by System, System Values Overwritten or Defined by User")
    template_id: str | None = Field(description="The configuration template of the station's charger model, if any")
    applied_template_id: str | None
    applying: int = Field(description="Changes of the template still waiting for the charger's answer")
    refreshed_at: datetime | None
    unknown_keys: list[str]
    drift: int = Field(description="How many keys drift")
    keys: list[KeyOut]


class DriftOut(Out):
    station_id: str
    name: str
    group_id: str | None
    keys: int
    since: datetime


class DriftListOut(Out):
    items: list[DriftOut]


@route("GET", PATH, summary="Configuration keys of a charging station, their source and drift", tag=TAG, query=ConfigurationQuery, response=ConfigurationOut, errors=(404,))
def get_configuration(ctx, station_id: str, query: ConfigurationQuery) -> ConfigurationOut:
    return ConfigurationOut.model_validate(configuration.view(ctx.operator, station_id, query.q, query.drift))


@route("GET", "/api/v1/configuration/drift", summary="Charging stations of your domain whose configuration drifts", tag=TAG, response=DriftListOut)
def drift_list(ctx) -> DriftListOut:
    return DriftListOut(items=[DriftOut.model_validate(d) for d in configuration.drifting(ctx.operator)])
