"""Statistics of a charging group (like the dashboard, for its subtree) and of a charging station."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.api.dashboard import CumulativeOut, DayOut, SummaryOut
from chalicelib.api.routing import route
from chalicelib.api.schemas import Out
from chalicelib.domain import statistics


class GroupDaysQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    days: int = Field(default=7, ge=1, le=90, description="Timeframe in the organization's local days")


class StationDaysQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    days: int = Field(default=7, description="7 or 30 days, as the manual offers", json_schema_extra={"enum": [7, 30]})

    @field_validator("days")
    @classmethod
    def _seven_or_thirty(cls, value: int) -> int:
        if value not in (7, 30):
            raise ValueError("days must be 7 or 30")
        return value


class StationSeriesOut(Out):
    station_id: str
    days: list[DayOut]


class GroupStatisticsOut(Out):
    group_id: str
    name: str
    timezone: str
    summary: SummaryOut = Field(description="Live summary of the group's subtree: stations, points, charging, issues")
    last_24_hours: CumulativeOut
    days: list[DayOut] = Field(description="Consumption and sessions per day of the subtree")
    stations: list[StationSeriesOut] = Field(description="Per day for each of the group's own stations that had sessions")


class StationStatisticsOut(Out):
    station_id: str
    timezone: str
    last_24_hours: CumulativeOut = Field(description="The station view's cards")
    days: list[DayOut]


@route("GET", "/api/v1/groups/{group_id}/statistics", summary="Charging group statistics", tag="charging groups", query=GroupDaysQuery, response=GroupStatisticsOut, errors=(404,))
def group_statistics(ctx, group_id: str, query: GroupDaysQuery) -> GroupStatisticsOut:
    return GroupStatisticsOut.model_validate(statistics.group_statistics(ctx.operator, group_id, query.days, ctx.now))


@route("GET", "/api/v1/stations/{station_id}/statistics", summary="Charging station statistics (7 or 30 days)", tag="charging stations", query=StationDaysQuery, response=StationStatisticsOut, errors=(404,))
def station_statistics(ctx, station_id: str, query: StationDaysQuery) -> StationStatisticsOut:
    return StationStatisticsOut.model_validate(statistics.station_statistics(ctx.operator, station_id, query.days, ctx.now))
