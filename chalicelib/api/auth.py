"""Log in, log out, and who am I: the operator session."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.api.routing import PUBLIC, route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import sessions
from chalicelib.domain.access import Principal


class LoginIn(In):
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)
    device_token: str | None = Field(
        None, max_length=128,
        description="The device_token of this browser's last log-in: strangers' failed guesses cannot lock it out",
    )


class SessionOut(Out):
    username: str
    organization: str
    role: str = Field(description="admin or basic")
    base_group_id: str


class LoginOut(SessionOut):
    token: str = Field(description="Bearer token: send as 'Authorization: Bearer <token>'")
    expires_at: datetime = Field(description="Two hours after log-in, whatever the activity")
    device_token: str = Field(description="Keep it in this browser (90 days) and send it with the next log-ins")


def _session(principal: Principal) -> dict:
    return {
        "username": principal.username,
        "organization": principal.org_id,
        "role": principal.role,
        "base_group_id": principal.base_group_id,
    }


@route("POST", "/api/v1/auth/login", summary="Log in", tag="session", access=PUBLIC, body=LoginIn, response=LoginOut, errors=(401, 429))
def login(ctx, body: LoginIn) -> LoginOut:
    new = sessions.login(body.username, body.password, ctx.now, ctx.source_ip, body.device_token)
    return LoginOut(token=new.token, expires_at=new.expires_at, device_token=new.device_token, **_session(new.principal))


@route("POST", "/api/v1/auth/logout", summary="Log out: the session is revoked", tag="session", status=204)
def logout(ctx) -> None:
    sessions.logout(ctx.operator)


@route("GET", "/api/v1/auth/session", summary="The logged-in operator's rights", tag="session", response=SessionOut)
def current_session(ctx) -> SessionOut:
    return SessionOut(**_session(ctx.operator))
