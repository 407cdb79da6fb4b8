"""Station state and metadata: EVSE code, name, eMI3 id and roaming; registration; maintenance;
all connectors available or unavailable; the station's password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, Version
from chalicelib.api.stations import PATH, TAG, StationOut
from chalicelib.domain import commands, station_credentials, station_settings
from chalicelib.ports.calls import OPEN_STATES

COMMAND_FAILED = "Remote command execution failed."
Wait = Annotated[int, Field(default=10, ge=0, le=commands.MAX_WAIT_S, description="Seconds to wait for the station's answer (under API Gateway's 29 s)")]

Text = Annotated[str, Field(max_length=100)]


class MetadataIn(Version):
    evse_code: Text | None = Field(default=None, description="Unique in your organization (without case); letters, digits, '-', '_', '.', '*'; null or empty removes it")
    evse_name: Text | None = Field(default=None, description="Free-form; need not be unique")
    emi3_id: Text | None = Field(default=None, description="eMI3 EVSE ID: country code, operator ID (3), 'E', identifier; e.g. FI*ENS*E12345")
    roaming: bool = Field(default=False, description="Let EV drivers of external eMSPs charge here")


class RegistrationIn(In):
    registration: Literal["Accepted", "Pending", "Rejected"] = Field(
        description="What the station's BootNotification is answered: Accepted lets it charge; Pending holds it "
        "(configuration may be set); Rejected refuses it. A connected station learns it at once.",
    )


class MaintenanceIn(In):
    disabled: bool = Field(description="true: all connectors Inoperative, remote starts refused, shown Disabled; false: back in service")


class AvailabilityIn(In):
    available: bool = Field(description="All connectors available (Operative) or unavailable (Inoperative)")
    wait: Wait


class CredentialsIn(In):
    wait: Wait


class StationCommandOut(Out):
    command_id: str
    action: str
    state: str = Field(description="Queued, Pending, Answered, Failed, TimedOut or Offline")
    response: dict[str, Any] | None
    error: str | None
    created_at: datetime
    completed_at: datetime | None
    message: str | None = Field(description="\"Remote command execution failed.\" when it ended without the station accepting it")


class MaintenanceOut(Out):
    station: StationOut
    command: StationCommandOut


class CredentialsOut(Out):
    station_id: str
    password: str = Field(description="Shown once: only its hash is kept. HTTP Basic password (user name = the station id)")
    authorization_key: str = Field(description="The same password as OCPP's AuthorizationKey takes it (hexadecimal)")
    pushed: StationCommandOut | None = Field(description="ChangeConfiguration AuthorizationKey sent to the connected station; null when it was not connected")
    manual_steps: list[str] = Field(description="How to set the password by hand (when not pushed, or the push failed)")


def command_out(command) -> StationCommandOut:
    done = command.state not in OPEN_STATES
    message = COMMAND_FAILED if done and not commands.succeeded(command) else None
    return StationCommandOut(
        command_id=command.command_id, action=command.action, state=command.state, response=command.response,
        error=command.error, created_at=command.created_at, completed_at=command.completed_at, message=message,
    )  # fmt: skip


@route("PUT", PATH + "/{station_id}/metadata", summary="Set a charging station's EVSE code, EVSE name, eMI3 ID and roaming flag", tag=TAG, access=ADMIN, body=MetadataIn, response=StationOut, errors=(400, 403, 404, 409))
def set_metadata(ctx, station_id: str, body: MetadataIn) -> StationOut:
    edit = station_settings.MetadataEdit(body.evse_code, body.evse_name, body.emi3_id, body.roaming)
    return StationOut.model_validate(station_settings.set_metadata(ctx.operator, station_id, edit, body.version))


@route("PUT", PATH + "/{station_id}/registration", summary="Accept, hold (Pending) or reject a charging station", tag=TAG, access=ADMIN, body=RegistrationIn, response=StationOut, errors=(400, 403, 404))
def set_registration(ctx, station_id: str, body: RegistrationIn) -> StationOut:
    return StationOut.model_validate(station_settings.set_registration(ctx.operator, station_id, body.registration))


@route("PUT", PATH + "/{station_id}/maintenance", summary="Disable a charging station for maintenance, or enable it again", tag=TAG, body=MaintenanceIn, response=MaintenanceOut, errors=(400, 404))
def set_maintenance(ctx, station_id: str, body: MaintenanceIn) -> MaintenanceOut:
    station, command = station_settings.set_maintenance(ctx.operator, station_id, body.disabled)
    return MaintenanceOut(station=StationOut.model_validate(station), command=command_out(command))


@route("POST", PATH + "/{station_id}/availability", summary="Set all connectors of a charging station available or unavailable", tag=TAG, body=AvailabilityIn, response=StationCommandOut, errors=(400, 404, 409))
def set_availability(ctx, station_id: str, body: AvailabilityIn) -> StationCommandOut:
    return command_out(station_settings.set_availability(ctx.operator, station_id, body.available, body.wait))


@route("POST", PATH + "/{station_id}/credentials", summary="Generate a new password for a charging station (shown once) and push it when connected", tag=TAG, access=ADMIN, body=CredentialsIn, response=CredentialsOut, status=201, errors=(400, 403, 404))
def rotate_credentials(ctx, station_id: str, body: CredentialsIn) -> CredentialsOut:
    new = station_credentials.rotate(ctx.operator, station_id, body.wait)
    return CredentialsOut(
        station_id=new.station_id, password=new.password, authorization_key=new.authorization_key,
        pushed=command_out(new.push) if new.push is not None else None, manual_steps=new.manual_steps,
    )  # fmt: skip
