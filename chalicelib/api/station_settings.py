"""Station state and metadata: EVSE code, name, eMI3 id and roaming; registration; maintenance."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Version
from chalicelib.api.stations import PATH, TAG, StationOut
from chalicelib.domain import station_settings

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


@route("PUT", PATH + "/{station_id}/metadata", summary="Set a charging station's EVSE code, EVSE name, eMI3 ID and roaming flag", tag=TAG, access=ADMIN, body=MetadataIn, response=StationOut, errors=(400, 403, 404, 409))
def set_metadata(ctx, station_id: str, body: MetadataIn) -> StationOut:
    edit = station_settings.MetadataEdit(body.evse_code, body.evse_name, body.emi3_id, body.roaming)
    return StationOut.model_validate(station_settings.set_metadata(ctx.operator, station_id, edit, body.version))


@route("PUT", PATH + "/{station_id}/registration", summary="Accept, hold (Pending) or reject a charging station", tag=TAG, access=ADMIN, body=RegistrationIn, response=StationOut, errors=(400, 403, 404))
def set_registration(ctx, station_id: str, body: RegistrationIn) -> StationOut:
    return StationOut.model_validate(station_settings.set_registration(ctx.operator, station_id, body.registration))
