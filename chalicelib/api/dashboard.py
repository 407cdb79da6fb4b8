"""The dashboard: selected groups' summary, the domain's donut, last 24 hours, sessions and kWh per day."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out
from chalicelib.api.stations import StationLiveOut
from chalicelib.domain import aggregates, dashboard, station_view
from chalicelib.domain.errors import ACCESS_DENIED, Denied

TAG = "dashboard"
GroupId = Annotated[str, Field(min_length=1, max_length=64)]


class DaysQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    days: int = Field(default=7, ge=1, le=366, description="Timeframe of the per-day diagram, in the organization's local days")


class SummaryOut(Out):
    stations: int
    points: int
    charging: int = Field(description="Points charging (OCPP Preparing, Charging or Finishing)")
    issues: int = Field(description="Points in an error condition: Faulted, or reporting an error code other than NoError")
    statuses: dict[str, int] = Field(description="Points per OCPP status, plus Unknown (never reported) and Offline (station disconnected)")
    donut: dict[str, int] = Field(description="Points per status as the manual's icons show them")


class GroupSummaryOut(Out):
    group_id: str
    name: str
    summary: SummaryOut = Field(description="The group's whole subtree")


class CumulativeOut(Out):
    charging_events: int = Field(description="Sessions that started in the last 24 hours (current UTC hour and the 23 before)")
    used_points: int = Field(description="Distinct charging points those sessions used")
    energy_kwh: float


class DayOut(Out):
    date: str = Field(description="Local date of the organization (YYYY-MM-DD)")
    sessions: int = Field(description="Finished sessions that started that day")
    energy_kwh: float


class DashboardOut(Out):
    selection: list[str] = Field(description="The selected group ids (remembered per operator; default: the base group)")
    selected: SummaryOut = Field(description="Status summary of the selected groups")
    groups: list[GroupSummaryOut] = Field(description="Each selected group's summary")
    domain: SummaryOut = Field(description="The operator's whole domain: the status donut")
    last_24_hours: CumulativeOut = Field(description="Cumulatives over the whole domain")
    timezone: str = Field(description="The organization's IANA time zone (day boundaries)")
    days: list[DayOut] = Field(description="Consumption and sessions per day over the whole domain, oldest first")


class PointsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    group_id: GroupId | None = Field(default=None, description="The group whose subtree to show; default: your base group")
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class StationPointsOut(StationLiveOut):
    name: str
    group_id: str | None


class StationPointsPageOut(Out):
    items: list[StationPointsOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class SelectionIn(In):
    group_ids: list[GroupId] = Field(max_length=100, description="Groups to show; empty = the base group")


class SelectionOut(Out):
    group_ids: list[str]


class RecountOut(Out):
    stations: int
    created: int = Field(description="Stations that had no live record yet")
    corrected_groups: int = Field(description="Group counters that differed from their stations' records")


@route("GET", "/api/v1/dashboard", summary="The dashboard of the operator's selection and domain", tag=TAG, query=DaysQuery, response=DashboardOut)
def get_dashboard(ctx, query: DaysQuery) -> DashboardOut:
    return DashboardOut.model_validate(dashboard.dashboard(ctx.operator, query.days, ctx.now))


@route("GET", "/api/v1/dashboard/points", summary="Live status of the charging points of a group's stations (the dashboard's group view)", tag=TAG, query=PointsQuery, response=StationPointsPageOut, errors=(400, 404))
def get_points(ctx, query: PointsQuery) -> StationPointsPageOut:
    rows, cursor = station_view.live_page(ctx.operator, query.limit, query.cursor, query.group_id)
    items = [StationPointsOut.model_validate({**live.__dict__, "name": s.name, "group_id": s.group_id}) for s, live in rows]
    return StationPointsPageOut(items=items, cursor=cursor)


@route("PUT", "/api/v1/dashboard/selection", summary="Choose the groups the dashboard shows", tag=TAG, body=SelectionIn, response=SelectionOut, errors=(404,))
def put_selection(ctx, body: SelectionIn) -> SelectionOut:
    return SelectionOut(group_ids=dashboard.select(ctx.operator, body.group_ids))


@route("POST", "/api/v1/dashboard/recount", summary="Recount the live counters of the organization (a safety net)", tag=TAG, access=ADMIN, response=RecountOut, errors=(403,))
def recount(ctx) -> RecountOut:
    if not ctx.operator.is_org_root:
        raise Denied(ACCESS_DENIED)
    return RecountOut(**aggregates.recount(ctx.operator.org_id))
