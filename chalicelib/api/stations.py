"""Charging stations: list, details with live status; create, edit, delete (orphan), purge, charging points."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery, Version
from chalicelib.domain import point_status, station_view, stations

TAG = "charging stations"
PATH = "/api/v1/stations"
Name = Annotated[str, Field(min_length=1, max_length=100)]
GroupId = Annotated[str, Field(min_length=1, max_length=64)]
SocketType = Literal["Schuko", "CHAdeMO", "Type-1", "Type-2", "CCS"]
_SOCKET_TYPES = {name.lower(): name for name in ("Schuko", "CHAdeMO", "Type-1", "Type-2", "CCS")}


class StationQuery(PageQuery):
    group_id: GroupId | None = Field(default=None, description="Only the stations of this group's subtree")
    orphans: bool = Field(default=False, description="The orphan stations instead (admins of the whole organization)")


class StationIn(In):
    station_id: str = Field(max_length=1000, description="Identifier configured in the charger: A-Z, a-z, 0-9, '-', '_'; never changes")
    name: Name | None = Field(default=None, description="Free-form name; default: the identifier")
    group_id: GroupId | None = Field(default=None, description="Parent group; default: your base group")


class StationEditIn(Version):
    name: Name
    group_id: GroupId | None = Field(default=None, description="Another group moves the station (or adopts an orphan); null keeps it")


class SocketIn(In):
    type: SocketType
    max_kw: float = Field(gt=0, le=1000, description="Maximum power in kW")

    @field_validator("type", mode="before")
    @classmethod
    def _canonical(cls, value):
        return _SOCKET_TYPES.get(value.strip().lower(), value) if isinstance(value, str) else value


class PointIn(In):
    sockets: list[SocketIn] = Field(min_length=1, max_length=4, description="1 to 4 sockets")


class PointsIn(Version):
    points: list[PointIn] = Field(min_length=1, max_length=32, description="Charging point n is the n-th (OCPP connector n)")


class StationRowOut(Out):
    station_id: str
    name: str
    group_id: str | None
    group_name: str | None
    point_count: int
    firmware_version: str | None


class StationPageOut(Out):
    items: list[StationRowOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class SocketOut(Out):
    type: str
    max_kw: float


class PointOut(Out):
    point: int
    status: str = Field(description="One of: " + ", ".join(point_status.DISPLAY_STATUSES))
    ocpp_status: str | None = Field(description="Last OCPP status reported for the point (or the station's)")
    error_code: str | None
    info: str | None
    since: datetime | None
    configured: bool = Field(description="False for a connector the station reports beyond its configured points")
    sockets: list[SocketOut]


class StationLiveOut(Out):
    station_id: str
    connected: bool
    registration: str = Field(description="Accepted, Pending or Rejected; not Accepted shows points as Disabled")
    station_status: str | None = Field(description="OCPP status of the station itself (connector 0), if reported")
    points: list[PointOut]
    maintenance: bool = Field(description="Disabled for maintenance: connectors Inoperative, remote starts refused, points shown Disabled")


class StationOut(StationLiveOut):
    name: str
    group_id: str | None
    group_name: str | None
    orphan: bool
    vendor: str | None
    model: str | None
    serial_number: str | None
    box_serial_number: str | None
    firmware_version: str | None
    firmware_status: str | None
    diagnostics_status: str | None
    iccid: str | None
    imsi: str | None
    meter_type: str | None
    meter_serial_number: str | None
    connected_at: datetime | None
    last_boot_at: datetime | None
    last_seen_at: datetime | None = Field(description="Last time the station was heard: connection, boot, disconnection, or, while connected, its latest message (the gateway's last activity)")
    created_at: datetime | None
    point_count: int
    version: int
    evse_code: str | None = Field(description="The EVSE's code, unique in the organization")
    evse_name: str | None
    emi3_id: str | None = Field(description="eMI3 EVSE ID, e.g. FI*ENS*E12345")
    roaming: bool = Field(description="Roaming enabled: EV drivers of external eMSPs may charge")
    current_power_kw: float | None = Field(description="Power now delivered, summed over the charging connectors (latest meter values); null when a charging connector reported none")


@route("GET", PATH, summary="List and search the charging stations of your domain", tag=TAG, query=StationQuery, response=StationPageOut, errors=(400, 403, 404))
def list_stations(ctx, query: StationQuery) -> StationPageOut:
    rows, cursor = station_view.page(ctx.operator, query.limit, query.cursor, query.q, query.group_id, query.orphans)
    return StationPageOut(items=[StationRowOut.model_validate(r) for r in rows], cursor=cursor)


@route("POST", PATH, summary="Add a new charging station", tag=TAG, access=ADMIN, body=StationIn, response=StationOut, status=201, errors=(400, 403, 404, 409))
def create_station(ctx, body: StationIn) -> StationOut:
    return StationOut.model_validate(stations.create(ctx.operator, body.station_id, body.name, body.group_id, ctx.now))


@route("GET", PATH + "/{station_id}", summary="A charging station: details, boot data, points with live status", tag=TAG, response=StationOut, errors=(404,))
def get_station(ctx, station_id: str) -> StationOut:
    return StationOut.model_validate(station_view.details(ctx.operator, station_id))


@route("PUT", PATH + "/{station_id}", summary="Edit a charging station: name, parent group (not the identifier)", tag=TAG, access=ADMIN, body=StationEditIn, response=StationOut, errors=(400, 403, 404, 409))
def edit_station(ctx, station_id: str, body: StationEditIn) -> StationOut:
    return StationOut.model_validate(stations.update(ctx.operator, station_id, body.name, body.group_id, body.version, ctx.now))


@route("DELETE", PATH + "/{station_id}", summary="Delete a charging station: it becomes an orphan", tag=TAG, access=ADMIN, status=204, errors=(403, 404, 409))
def delete_station(ctx, station_id: str) -> None:
    stations.orphan(ctx.operator, station_id, ctx.now)


@route("POST", PATH + "/{station_id}/purge", summary="Remove an orphan charging station for good", tag=TAG, access=ADMIN, status=204, errors=(403, 404, 409))
def purge_station(ctx, station_id: str) -> None:
    stations.purge(ctx.operator, station_id, ctx.now)


@route("PUT", PATH + "/{station_id}/points", summary="Describe the charging points and their sockets", tag=TAG, access=ADMIN, body=PointsIn, response=StationOut, errors=(400, 403, 404, 409))
def set_points(ctx, station_id: str, body: PointsIn) -> StationOut:
    points = [[s.model_dump() for s in point.sockets] for point in body.points]
    return StationOut.model_validate(stations.set_points(ctx.operator, station_id, points, body.version, ctx.now))


@route("GET", PATH + "/{station_id}/status", summary="Live status of every charging point", tag=TAG, response=StationLiveOut, errors=(404,))
def station_status(ctx, station_id: str) -> StationLiveOut:
    return StationLiveOut.model_validate(station_view.live(ctx.operator, station_id))
