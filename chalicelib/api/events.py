"""A charging station's event feed: one local day at a time, filtered by status and error type, searched."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator

from chalicelib.api.routing import route
from chalicelib.api.schemas import Out, PageQuery
from chalicelib.domain import events

ErrorType = Literal[
    "ConnectorLockFailure", "EVCommunicationError", "GroundFailure", "HighTemperature", "InternalError",
    "LocalListConflict", "NoError", "OtherError", "OverCurrentFailure", "OverVoltage", "PowerMeterFailure",
    "PowerSwitchFailure", "ReaderFailure", "ResetFailure", "UnderVoltage", "WeakSignal",
]
EventStatus = Literal[
    # OCPP 1.6 ChargePointStatus
    "Available", "Preparing", "Charging", "SuspendedEVSE", "SuspendedEV", "Finishing", "Reserved", "Unavailable", "Faulted",
    # FirmwareStatus and DiagnosticsStatus (their notifications are in the feed too)
    "Downloaded", "DownloadFailed", "Downloading", "Idle", "InstallationFailed", "Installing", "Installed",
    "Uploaded", "UploadFailed", "Uploading",
]


class EventsQuery(PageQuery):
    limit: int = Field(default=50, ge=1, le=100)
    day: date | None = Field(default=None, description="Local day of the organization (YYYY-MM-DD); default today")
    status: EventStatus | None = None
    error_type: ErrorType | None = None

    @field_validator("day", "status", "error_type", "q", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("day")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("day must be between 2000 and 2100")
        return value


class EventOut(Out):
    info: str | None
    connector_id: int = Field(description="Charging point; 0 = the whole station")
    status: str | None
    error_type: str | None = Field(description="OCPP error code (NoError included)")
    vendor_error_code: str | None
    timestamp: datetime = Field(description="When the event occurred (UTC)")
    kind: str = Field(description="StatusNotification, FirmwareStatusNotification or DiagnosticsStatusNotification")


class EventPageOut(Out):
    day: date
    timezone: str
    previous_day: date
    next_day: date | None = Field(description="Null when the day is today")
    items: list[EventOut] = Field(description="Newest first")
    cursor: str | None = Field(description="Pass as `cursor` for more of the same day; null on the last page")


@route("GET", "/api/v1/stations/{station_id}/events", summary="Charging station events of one day", tag="charging stations", query=EventsQuery, response=EventPageOut, errors=(404,))
def station_events(ctx, station_id: str, query: EventsQuery) -> EventPageOut:
    page = events.events(ctx.operator, station_id, query.day, query.status, query.error_type, query.q, query.limit, query.cursor, ctx.now)
    return EventPageOut.model_validate(page)
