"""RFID tokens of a charging user: add, edit (name, status, validity), delete (admins)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, Field, computed_field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, Version
from chalicelib.domain import tokens
from chalicelib.domain.user_scope import Scope

TAG = "charging users"


def _utc(moment: datetime) -> datetime:
    if not 1970 <= moment.year <= 9998:
        raise ValueError("the year must be between 1970 and 9998")
    return moment.astimezone(UTC)


UtcDateTime = Annotated[AwareDatetime, AfterValidator(_utc)]
TokenId = Annotated[str, Field(pattern=tokens.TOKEN_ID.pattern, description="RFID token id (OCPP idTag, case-insensitive)")]
Status = Literal["Active", "Blocked"]
VALID_TO = "End of validity; null or omitted: valid infinitely"


class TokenIn(In):
    token_id: TokenId
    name: str | None = Field(default=None, max_length=100, description="A friendly name, e.g. Workplace token")
    status: Status = "Active"
    valid_from: UtcDateTime | None = Field(default=None, description="Start of validity; omitted: now")
    valid_to: UtcDateTime | None = Field(default=None, description=VALID_TO)


class TokenEditIn(Version):
    name: str | None = Field(default=None, max_length=100)
    status: Status
    valid_from: UtcDateTime | None = Field(default=None, description="Start of validity; omitted: unchanged")
    valid_to: UtcDateTime | None = Field(default=None, description=VALID_TO)
    token_id: str | None = Field(default=None, max_length=20, description="Must be the current one: token ids cannot be changed")


class TokenOut(Out):
    token_id: str
    name: str | None
    status: str
    valid_from: datetime | None
    valid_to: datetime | None
    version: int

    @computed_field
    @property
    def valid_infinitely(self) -> bool:
        return self.valid_to is None


def token_fields(body: TokenIn | TokenEditIn) -> tokens.TokenFields:
    return tokens.TokenFields(body.name or None, body.status, body.valid_from, body.valid_to)


PATH = "/api/v1/charging-users/{user_id}/tokens"


@route("POST", PATH, summary="Add an RFID token to a charging user", tag=TAG, body=TokenIn, response=TokenOut, status=201, errors=(400, 404, 409, 503))
def add_token(ctx, user_id: str, body: TokenIn) -> TokenOut:
    token = tokens.add(Scope(ctx.operator), user_id, body.token_id, token_fields(body), ctx.now)
    return TokenOut.model_validate(token)


@route("PUT", PATH + "/{token_id}", summary="Edit an RFID token (not its id)", tag=TAG, body=TokenEditIn, response=TokenOut, errors=(400, 404, 409, 503))
def edit_token(ctx, user_id: str, token_id: str, body: TokenEditIn) -> TokenOut:
    token = tokens.edit(Scope(ctx.operator), user_id, token_id, body.version, body.token_id, token_fields(body))
    return TokenOut.model_validate(token)


@route("DELETE", PATH + "/{token_id}", summary="Delete an RFID token", tag=TAG, access=ADMIN, status=204, errors=(403, 404))
def delete_token(ctx, user_id: str, token_id: str) -> None:
    tokens.remove(Scope(ctx.operator), user_id, token_id)
