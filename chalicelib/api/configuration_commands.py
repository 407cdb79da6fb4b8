"""The configuration commands of a station: Refresh configuration (GetConfiguration), change one key
(ChangeConfiguration, admins) and Use System Configuration (the model's template again, admins)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.configuration import PATH, TAG, KeyOut
from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, WaitQuery
from chalicelib.domain import configuration, configuration_templates


class KeyIn(In):
    value: str = Field(max_length=500, description="The new value (OCPP 1.6 CiString500)")


class CommandOut(Out):
    command_id: str
    action: str
    state: str = Field(description="Pending, Answered, Failed, TimedOut, Offline (or Queued)")
    status: str | None = Field(description="The charger's answer status, once answered")
    error: str | None
    message: str | None = Field(description="The manual's text when the charger did not take the command")


class ChangeOut(Out):
    command: CommandOut
    key: KeyOut


class CommandsOut(Out):
    commands: list[CommandOut]


def command_out(command) -> CommandOut:
    status = (command.response or {}).get("status")
    return CommandOut(command_id=command.command_id, action=command.action, state=command.state, status=status,
                      error=command.error, message=configuration.failure(command))


@route("POST", PATH + "/refresh", summary="Refresh configuration: ask the charger for its keys (GetConfiguration)", tag=TAG, query=WaitQuery, response=CommandOut, status=202, errors=(404,))
def refresh_configuration(ctx, station_id: str, query: WaitQuery) -> CommandOut:
    return command_out(configuration.refresh(ctx.operator, station_id, query.wait))


@route("PUT", PATH + "/keys/{key}", summary="Change one configuration key (ChangeConfiguration)", tag=TAG, access=ADMIN, body=KeyIn, query=WaitQuery, response=ChangeOut, status=202, errors=(400, 403, 404))
def change_key(ctx, station_id: str, key: str, body: KeyIn, query: WaitQuery) -> ChangeOut:
    command, row = configuration.change(ctx.operator, station_id, key, body.value, ctx.now, query.wait)
    return ChangeOut(command=command_out(command), key=KeyOut.model_validate(row))


@route("POST", PATH + "/system", summary="Use System Configuration: revert to the charger model's template", tag=TAG, access=ADMIN, response=CommandsOut, status=202, errors=(403, 404))
def use_system_configuration(ctx, station_id: str) -> CommandsOut:
    sent = configuration_templates.use_system_configuration(ctx.operator, station_id, ctx.now)
    return CommandsOut(commands=[command_out(c) for c in sent])
