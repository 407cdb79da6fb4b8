"""The operator's organization: name and time zone (every stored time is UTC)."""

from __future__ import annotations

from pydantic import Field, field_validator

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import Out, Version
from chalicelib.domain import organizations

TAG = "organization"


class OrganizationOut(Out):
    org_id: str
    name: str
    timezone: str = Field(description="IANA time zone name used for display, reports and schedules")
    version: int


class OrganizationIn(Version):
    name: str = Field(min_length=1, max_length=100)
    timezone: str = Field(min_length=1, max_length=64, description="IANA time zone name, e.g. Europe/Helsinki")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not organizations.is_timezone(value):
            raise ValueError("not an IANA time zone name")
        return value


@route("GET", "/api/v1/organization", summary="My organization", tag=TAG, response=OrganizationOut)
def get_organization(ctx) -> OrganizationOut:
    return OrganizationOut.model_validate(organizations.get_organization(ctx.operator))


@route("PUT", "/api/v1/organization", summary="Edit the organization (admins of the whole organization)", tag=TAG, access=ADMIN, body=OrganizationIn, response=OrganizationOut, errors=(409,))
def update_organization(ctx, body: OrganizationIn) -> OrganizationOut:
    updated = organizations.update_organization(ctx.operator, body.version, body.name, body.timezone)
    return OrganizationOut.model_validate(updated)
