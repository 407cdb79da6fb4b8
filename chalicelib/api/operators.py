"""Operators (admins only): browse and search, invite, resend, edit, reset password, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery, Version
from chalicelib.domain import invitations
from chalicelib.domain import operators as ops

EMAIL = Field(min_length=3, max_length=254, pattern=r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
USERNAME = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$", description="Unique in the whole system")
NAME = Field(min_length=1, max_length=100)
GROUP_ID = Field(min_length=1, max_length=64)
Role = Literal["admin", "basic"]
Status = Literal["Active", "Inactive"]
TAG = "operators"


class OperatorQuery(PageQuery):
    status: Literal["Active", "Inactive", "Invited"] | None = Field(
        default=None, description="Active or Inactive (activated accounts), Invited (not activated yet)"
    )


class OperatorOut(Out):
    username: str
    email: str
    first_name: str
    last_name: str
    role: Role
    status: Status = Field(description="Inactive operators exist but cannot log in")
    activated: bool = Field(description="False until the operator follows the invitation link")
    base_group_id: str
    base_group_name: str | None
    invited_at: datetime | None
    version: int


class OperatorPageOut(Out):
    items: list[OperatorOut]
    cursor: str | None


class InviteIn(In):
    email: str = EMAIL
    email_confirmation: str = Field(min_length=3, max_length=254, description="The e-mail address again")
    username: str = USERNAME
    first_name: str = NAME
    last_name: str = NAME
    role: Role
    base_group_id: str = GROUP_ID

    @model_validator(mode="after")
    def _same_email(self):
        if self.email.lower() != self.email_confirmation.lower():
            raise ValueError("the e-mail addresses do not match")
        return self


class OperatorIn(Version):
    first_name: str = NAME
    last_name: str = NAME
    email: str = EMAIL
    role: Role
    status: Status
    base_group_id: str = GROUP_ID


class EmailIn(In):
    email: str = Field(min_length=1, max_length=254, description="The e-mail address the edit view showed")


class MessageOut(Out):
    message: str


def _out(operator: ops.Operator) -> OperatorOut:
    return OperatorOut.model_validate(operator)


@route("GET", "/api/v1/operators", summary="Operators of the admin's domain", tag=TAG, access=ADMIN, query=OperatorQuery, response=OperatorPageOut)
def list_operators(ctx, query: OperatorQuery) -> OperatorPageOut:
    page = ops.list_operators(ctx.operator, query.limit, query.cursor, query.q, query.status)
    return OperatorPageOut(items=[_out(o) for o in page.items], cursor=page.cursor)


@route("POST", "/api/v1/operators", summary="Invite a new operator (an e-mail with an activation link)", tag=TAG, access=ADMIN, body=InviteIn, response=OperatorOut, status=201, errors=(404, 409))
def invite_operator(ctx, body: InviteIn) -> OperatorOut:
    new = invitations.NewOperator(body.username, body.email, body.first_name, body.last_name, body.role, body.base_group_id)
    return _out(invitations.invite(ctx.operator, new, ctx.now))


@route("GET", "/api/v1/operators/{username}", summary="One operator", tag=TAG, access=ADMIN, response=OperatorOut)
def get_operator(ctx, username: str) -> OperatorOut:
    return _out(ops.get_operator(ctx.operator, username))


@route("PUT", "/api/v1/operators/{username}", summary="Edit an operator: status, permission level, base group, name, e-mail", tag=TAG, access=ADMIN, body=OperatorIn, response=OperatorOut, errors=(409,))
def update_operator(ctx, username: str, body: OperatorIn) -> OperatorOut:
    change = ops.Change(body.version, body.first_name, body.last_name, body.email, body.role, body.status, body.base_group_id)
    return _out(ops.update_operator(ctx.operator, username, change))


@route("DELETE", "/api/v1/operators/{username}", summary="Delete an operator", tag=TAG, access=ADMIN, status=204)
def delete_operator(ctx, username: str) -> None:
    ops.delete_operator(ctx.operator, username)


@route("POST", "/api/v1/operators/{username}/invitation", summary="Resend the invitation (only before activation)", tag=TAG, access=ADMIN, response=MessageOut, status=202, errors=(409,))
def resend_invitation(ctx, username: str) -> MessageOut:
    invitations.resend(ctx.operator, username, ctx.now)
    return MessageOut(message="Invitation sent.")


@route("POST", "/api/v1/operators/{username}/reminder", summary="Send a reminder to activate the account (only before activation)", tag=TAG, access=ADMIN, response=MessageOut, status=202, errors=(409,))
def send_reminder(ctx, username: str) -> MessageOut:
    invitations.resend(ctx.operator, username, ctx.now, reminder=True)
    return MessageOut(message="Reminder sent.")


@route("POST", "/api/v1/operators/{username}/password-reset", summary="E-mail the operator a password reset link", tag=TAG, access=ADMIN, body=EmailIn, response=MessageOut, status=202, errors=(409,))
def send_password_reset(ctx, username: str, body: EmailIn) -> MessageOut:
    invitations.send_password_reset(ctx.operator, username, body.email, ctx.now)
    return MessageOut(message="Password reset e-mail sent.")
