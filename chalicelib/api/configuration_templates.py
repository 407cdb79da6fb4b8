"""Configuration templates: recommended OCPP keys per charger model (vendor and model as BootNotification
reports them); every operator reads them, admins of the whole organization write them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, field_validator

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import configuration_templates

TAG = "configuration templates"
PATH = "/api/v1/configuration-templates"
Keys = Annotated[dict[str, str], Field(max_length=200, description="Key -> recommended value")]


class KeysIn(In):
    keys: Keys
    current_limit_key: str | None = Field(
        default=None, min_length=1, max_length=50,
        description="The configuration key (in amperes) by which this model takes a station-wide current limit; "
                    "scheduled max-current tasks change it instead of sending a ChargePointMaxProfile",
    )

    @field_validator("keys")
    @classmethod
    def _ocpp_lengths(cls, keys: dict[str, str]) -> dict[str, str]:
        """OCPP 1.6: keys are CiString50, values CiString500."""
        for key, value in keys.items():
            if not key.strip() or len(key) > 50:
                raise ValueError(f"key {key[:60]!r}: 1 to 50 characters")
            if len(value) > 500:
                raise ValueError(f"value of {key}: at most 500 characters")
        return keys


class TemplateIn(KeysIn):
    vendor: str = Field(min_length=1, max_length=20, description="chargePointVendor")
    model: str = Field(min_length=1, max_length=20, description="chargePointModel")


class TemplateEditIn(KeysIn):
    version: int = Field(ge=0, description="The version you read (optimistic locking)")


class TemplateOut(Out):
    template_id: str
    vendor: str
    model: str
    keys: dict[str, str]
    version: int
    updated_at: datetime | None
    current_limit_key: str | None


class TemplateListOut(Out):
    items: list[TemplateOut]


def _out(template) -> TemplateOut:
    return TemplateOut(template_id=template.template_id, vendor=template.vendor, model=template.model,
                       keys=template.keys, version=template.version, updated_at=template.updated_at,
                       current_limit_key=template.current_limit_key)


@route("GET", PATH, summary="Configuration templates of the organization", tag=TAG, response=TemplateListOut)
def list_templates(ctx) -> TemplateListOut:
    return TemplateListOut(items=[_out(t) for t in configuration_templates.listed(ctx.operator)])


@route("POST", PATH, summary="Add a configuration template for a charger model", tag=TAG, access=ADMIN, body=TemplateIn, response=TemplateOut, status=201, errors=(400, 403, 409))
def create_template(ctx, body: TemplateIn) -> TemplateOut:
    return _out(configuration_templates.create(ctx.operator, body.vendor, body.model, body.keys, ctx.now,
                                                body.current_limit_key))


@route("GET", PATH + "/{template_id}", summary="A configuration template", tag=TAG, response=TemplateOut, errors=(404,))
def get_template(ctx, template_id: str) -> TemplateOut:
    return _out(configuration_templates.get(ctx.operator, template_id))


@route("PUT", PATH + "/{template_id}", summary="Edit a configuration template's keys", tag=TAG, access=ADMIN, body=TemplateEditIn, response=TemplateOut, errors=(400, 403, 404, 409))
def edit_template(ctx, template_id: str, body: TemplateEditIn) -> TemplateOut:
    return _out(configuration_templates.update(ctx.operator, template_id, body.keys, body.version, ctx.now,
                                                body.current_limit_key))


@route("DELETE", PATH + "/{template_id}", summary="Delete a configuration template", tag=TAG, access=ADMIN, status=204, errors=(403, 404))
def delete_template(ctx, template_id: str) -> None:
    configuration_templates.delete(ctx.operator, template_id)
