"""Public password routes: lost password, and the e-mailed reset and activation links."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.operators import MessageOut
from chalicelib.api.routing import PUBLIC, route
from chalicelib.api.schemas import In
from chalicelib.domain import credentials
from chalicelib.domain.password_policy import DESCRIPTION

TAG = "session"
SENT = "If the address belongs to an operator, an e-mail with instructions for setting a new password is on its way."


class LostPasswordIn(In):
    email: str = Field(min_length=1, max_length=254)


class NewPasswordIn(In):
    token: str = Field(min_length=1, max_length=256, description="The token of the e-mailed link")
    password: str = Field(min_length=1, max_length=1024, description=DESCRIPTION)


@route("POST", "/api/v1/auth/lost-password", summary="Lost password: e-mail a reset link (same answer for any address)", tag=TAG, access=PUBLIC, body=LostPasswordIn, response=MessageOut, status=202)
def lost_password(ctx, body: LostPasswordIn) -> MessageOut:
    credentials.lost_password(body.email, ctx.now)
    return MessageOut(message=SENT)


@route("POST", "/api/v1/auth/reset-password", summary="Set a new password with a reset link", tag=TAG, access=PUBLIC, body=NewPasswordIn, status=204, errors=(404,))
def reset_password(ctx, body: NewPasswordIn) -> None:
    credentials.reset_password(body.token, body.password, ctx.now, ctx.source_ip)


@route("POST", "/api/v1/auth/activate", summary="Activate an invited account: choose the password", tag=TAG, access=PUBLIC, body=NewPasswordIn, status=204, errors=(404, 409))
def activate(ctx, body: NewPasswordIn) -> None:
    credentials.activate(body.token, body.password, ctx.now)
