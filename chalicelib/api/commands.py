"""Remote commands: every OCPP 1.6 call to a charger through one shape; its state, answer and history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from chalicelib.api.routing import route
from chalicelib.api.schemas import In, Out, PageQuery, WaitQuery
from chalicelib.domain import commands, remote_commands, station_passwords

TAG = "remote commands"
PATH = "/api/v1/stations/{station_id}/commands"


class CommandIn(In):
    action: str = Field(
        min_length=1, max_length=40,
        description="OCPP 1.6 action a central system sends: " + ", ".join(sorted(commands.ACTIONS)),
    )
    payload: dict[str, Any] = Field(
        default_factory=dict,
        description="The OCPP request payload, checked against the 1.6 schema. RemoteStopTransaction also takes "
        '{"connectorId": N} (stops that point\'s active transaction); SendLocalList with {} sends the list of the '
        "charging users' tokens with access to the station",
    )
    queue: bool = Field(default=False, description="Station not connected: keep the command and send it after its next boot")
    timeout: int = Field(default=60, ge=1, le=300, description="Seconds the charger has to answer once the command is sent")


class CommandOut(Out):
    command_id: str = Field(description="Also the OCPP message id of the call")
    station_id: str
    action: str
    payload: dict[str, Any]
    state: str = Field(description="Queued, Pending, Answered, Failed, TimedOut or Offline")
    response: dict[str, Any] | None = Field(description="The charger's answer (CALLRESULT payload)")
    error: str | None = Field(description="CALLERROR code and text, invalid answer or send failure")
    succeeded: bool = Field(description="Answered with an accepting status")
    message: str | None = Field(description="'Remote command execution failed.' when the command did not do what was asked")
    operator: str | None = Field(description="Username of the operator who issued it; null for the system")
    created_at: datetime
    deadline_at: datetime | None
    completed_at: datetime | None


class CommandPageOut(Out):
    items: list[CommandOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


def _out(command) -> CommandOut:
    return CommandOut(
        command_id=command.command_id, station_id=command.station_id, action=command.action, payload=station_passwords.shown_payload(command.action, command.payload),
        state=command.state, response=command.response, error=command.error, succeeded=commands.succeeded(command),
        message=remote_commands.failure(command), operator=command.operator_id, created_at=command.created_at,
        deadline_at=command.deadline_at, completed_at=command.completed_at,
    )


@route("POST", PATH, summary="Send a remote command (any OCPP 1.6 call) to a charging station", tag=TAG, body=CommandIn, query=WaitQuery, response=CommandOut, status=202, errors=(400, 403, 404))
def send_command(ctx, station_id: str, body: CommandIn, query: WaitQuery) -> CommandOut:
    command = remote_commands.issue(
        ctx.operator, station_id, body.action, body.payload, wait_s=query.wait, queue=body.queue, timeout_s=body.timeout
    )
    return _out(command)


@route("GET", PATH + "/{command_id}", summary="A remote command: state, the charger's answer, times", tag=TAG, response=CommandOut, errors=(404,))
def get_command(ctx, station_id: str, command_id: str) -> CommandOut:
    return _out(remote_commands.show(ctx.operator, station_id, command_id))


@route("GET", PATH, summary="Remote commands sent to a charging station, newest first", tag=TAG, query=PageQuery, response=CommandPageOut, errors=(400, 404))
def list_commands(ctx, station_id: str, query: PageQuery) -> CommandPageOut:
    page = remote_commands.history(ctx.operator, station_id, query.limit, query.cursor)
    return CommandPageOut(items=[_out(c) for c in page.items], cursor=page.cursor)
