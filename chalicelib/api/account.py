"""My account: the logged-in operator's own name, e-mail address and password."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.operators import EMAIL, NAME, OperatorOut
from chalicelib.api.routing import route
from chalicelib.api.schemas import In, Version
from chalicelib.domain import account, credentials
from chalicelib.domain.password_policy import DESCRIPTION

TAG = "account"


class AccountIn(Version):
    first_name: str = NAME
    last_name: str = NAME
    email: str = EMAIL


class PasswordChangeIn(In):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024, description=DESCRIPTION)


@route("GET", "/api/v1/account", summary="My account", tag=TAG, response=OperatorOut)
def get_account(ctx) -> OperatorOut:
    return OperatorOut.model_validate(account.get_account(ctx.operator))


@route("PUT", "/api/v1/account", summary="Edit my name and e-mail address", tag=TAG, body=AccountIn, response=OperatorOut, errors=(409,))
def update_account(ctx, body: AccountIn) -> OperatorOut:
    updated = account.update_account(ctx.operator, body.version, body.first_name, body.last_name, body.email)
    return OperatorOut.model_validate(updated)


@route("PUT", "/api/v1/account/password", summary="Change my password", tag=TAG, body=PasswordChangeIn, status=204, errors=(429,))
def change_password(ctx, body: PasswordChangeIn) -> None:
    credentials.change_own(ctx.operator, body.current_password, body.new_password, ctx.now)
