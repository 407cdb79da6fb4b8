"""Charging users: list and search, create with RFID tokens, view, edit, delete (admins)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from chalicelib.api.charging_user_tokens import TokenIn, TokenOut, token_fields
from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery, Version
from chalicelib.domain import charging_users as users
from chalicelib.domain.user_scope import Scope

TAG = "charging users"
EMAIL = r"^[A-Za-z0-9._+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
Name = Annotated[str, Field(min_length=1, max_length=100)]
Id = Annotated[str, Field(min_length=1, max_length=64)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


Ids = Annotated[list[Id], Field(max_length=200), AfterValidator(_unique)]
GROUP_IDS = "Charging groups whose stations (subgroups included) the user may use"
STATION_IDS = "Charging stations the user may use"


class ChargingUserIn(In):
    first_name: Name
    last_name: Name
    email: str = Field(max_length=254, pattern=EMAIL, description="Unique in the organization; cannot be changed later")
    user_group_id: Id | None = Field(default=None, description="The charging user group (at most one)")
    access_group_ids: Ids = Field(default_factory=list, description=GROUP_IDS)
    access_station_ids: Ids = Field(default_factory=list, description=STATION_IDS)
    tokens: list[TokenIn] = Field(default_factory=list, max_length=50, description="RFID tokens (more can be added later)")


class ChargingUserEditIn(Version):
    first_name: Name
    last_name: Name
    user_group_id: Id | None = Field(description="The charging user group, or null for none")
    access_group_ids: Ids = Field(description=GROUP_IDS + "; rights outside your domain are kept")
    access_station_ids: Ids = Field(description=STATION_IDS + "; rights outside your domain are kept")
    active: bool | None = Field(default=None, description="Activation (admins only); omitted: unchanged")
    email: str | None = Field(default=None, max_length=254, description="Must be the current one: e-mail cannot be changed")


class ChargingUserQuery(PageQuery):
    user_group_id: Id | None = Field(default=None, description="Only the members of this charging user group")


class ChargingUserRowOut(Out):
    user_id: str
    first_name: str
    last_name: str
    email: str
    user_group_id: str | None
    user_group_name: str | None
    token_count: int = Field(description="Tokens Qty")
    active: bool


class ChargingUserPageOut(Out):
    items: list[ChargingUserRowOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class ChargingUserOut(ChargingUserRowOut):
    access_group_ids: list[str] = Field(description="The ones inside your domain")
    access_station_ids: list[str] = Field(description="The ones inside your domain")
    tokens: list[TokenOut]
    version: int


def _out(detail: users.UserDetail) -> ChargingUserOut:
    user = detail.user
    return ChargingUserOut(
        user_id=user.user_id,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        user_group_id=user.user_group_id,
        user_group_name=detail.user_group_name,
        token_count=len(detail.tokens),
        active=user.active,
        access_group_ids=detail.access_group_ids,
        access_station_ids=detail.access_station_ids,
        tokens=[TokenOut.model_validate(token) for token in detail.tokens],
        version=user.version,
    )


@route("GET", "/api/v1/charging-users", summary="List and search charging users", tag=TAG, query=ChargingUserQuery, response=ChargingUserPageOut, errors=(400,))
def list_users(ctx, query: ChargingUserQuery) -> ChargingUserPageOut:
    found = users.listing(Scope(ctx.operator), query.limit, query.cursor, query.q, query.user_group_id)
    rows = [
        ChargingUserRowOut(
            user_id=u.user_id, first_name=u.first_name, last_name=u.last_name, email=u.email,
            user_group_id=u.user_group_id, user_group_name=found.group_names.get(u.user_group_id or ""),
            token_count=u.token_count or 0, active=u.active,
        )
        for u in found.page.items
    ]
    return ChargingUserPageOut(items=rows, cursor=found.page.cursor)


@route("POST", "/api/v1/charging-users", summary="Add a new charging user with RFID tokens", tag=TAG, body=ChargingUserIn, response=ChargingUserOut, status=201, errors=(400, 404, 409, 503))
def create_user(ctx, body: ChargingUserIn) -> ChargingUserOut:
    fields = users.UserFields(body.first_name, body.last_name, body.user_group_id, body.access_group_ids, body.access_station_ids)
    tokens = [(token.token_id, token_fields(token)) for token in body.tokens]
    return _out(users.create(Scope(ctx.operator), body.email, fields, tokens, ctx.now))


@route("GET", "/api/v1/charging-users/{user_id}", summary="A charging user with tokens and access rights", tag=TAG, response=ChargingUserOut, errors=(404,))
def get_user(ctx, user_id: str) -> ChargingUserOut:
    return _out(users.read(Scope(ctx.operator), user_id))


@route("PUT", "/api/v1/charging-users/{user_id}", summary="Edit a charging user (not the e-mail nor token ids)", tag=TAG, body=ChargingUserEditIn, response=ChargingUserOut, errors=(400, 403, 404, 409, 503))
def edit_user(ctx, user_id: str, body: ChargingUserEditIn) -> ChargingUserOut:
    fields = users.UserFields(body.first_name, body.last_name, body.user_group_id, body.access_group_ids, body.access_station_ids, body.active)
    return _out(users.edit(Scope(ctx.operator), user_id, body.version, body.email, fields))


@route("DELETE", "/api/v1/charging-users/{user_id}", summary="Remove a charging user and its tokens", tag=TAG, access=ADMIN, status=204, errors=(403, 404, 409))
def delete_user(ctx, user_id: str) -> None:
    users.delete(Scope(ctx.operator), user_id)
