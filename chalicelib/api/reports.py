"""Charging reports: start one (EXPORT CSV), follow it to its download link, page its rows (SHOW DATA)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from chalicelib.api.routing import route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import reports
from chalicelib.domain.report_filter import Selection
from chalicelib.ports.reports import ReportJob

TAG = "reports"
PATH = "/api/v1/reports"
Id = Annotated[str, Field(min_length=1, max_length=254)]


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


Ids = Annotated[list[Id], Field(max_length=500), AfterValidator(_unique)]


class PointIn(In):
    station_id: Id
    point: int = Field(ge=1, le=100, description="Charging point (connector) number")


class ReportIn(In):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    from_date: date = Field(alias="from", description="First day, inclusive, in the organization's time zone")
    to_date: date = Field(alias="to", description="Last day, inclusive (at most 366 days after `from`)")
    group_ids: Ids = Field(default_factory=list, description="Charging groups (their subgroups included)")
    station_ids: Ids = Field(default_factory=list)
    points: list[PointIn] = Field(default_factory=list, max_length=500)
    charging_user_ids: Ids = Field(default_factory=list)
    user_group_ids: Ids = Field(default_factory=list)
    token_ids: Ids = Field(default_factory=list, description="None selected: every session, free charging too")
    format: Literal["csv"] = "csv"
    delimiter: Literal[",", ";"] = ","

    def selection(self) -> Selection:
        return Selection(
            self.from_date, self.to_date, tuple(self.group_ids), tuple(self.station_ids),
            tuple(dict.fromkeys((p.station_id, p.point) for p in self.points)), tuple(self.charging_user_ids),
            tuple(self.user_group_ids), tuple(self.token_ids), self.delimiter,
        )


class StartedOut(Out):
    report_id: str
    state: str = Field(description="Running, Done or Failed (a small selection may be Done at once)")


class ReportOut(Out):
    report_id: str
    state: str = Field(description="Running, Done or Failed")
    rows_done: int = Field(description="Rows written so far")
    estimate: int = Field(description="Rows expected in all (exact once Done)")
    session_count: int
    total_kwh: float = Field(description="Total charging volume of the rows so far (of the whole selection once Done)")
    timezone: str
    file_name: str
    download_url: str | None = Field(description="Presigned link to the CSV once Done (valid for an hour)")
    error: str | None = Field(description="Why a Failed report failed")
    created_at: datetime
    updated_at: datetime | None


class RowOut(Out):
    charging_user: str
    token_name: str
    charging_station: str
    charging_point: int
    kwh: float = Field(description="Charging volume (kWh)")
    start: datetime = Field(description="Start date and time with the organization's UTC offset")
    end: datetime
    token_id: str
    station_id: str
    duration_s: int


class RowsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class RowsOut(Out):
    rows: list[RowOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: the last page")


def _report(job: ReportJob) -> ReportOut:
    return ReportOut(
        report_id=job.report_id, state=job.state, rows_done=job.rows_done, estimate=job.estimate,
        session_count=job.session_count, total_kwh=reports.total_kwh(job), timezone=job.selection["plan"]["timezone"],
        file_name=reports.file_name(job), download_url=reports.download_url(job), error=job.error,
        created_at=job.created_at, updated_at=job.updated_at,
    )


@route("POST", PATH, summary="Generate a charging report (CSV)", tag=TAG, body=ReportIn, response=StartedOut, status=202, errors=(400, 404))
def start_report(ctx, body: ReportIn) -> StartedOut:
    job = reports.start(ctx.operator, body.selection(), ctx.now)
    return StartedOut(report_id=job.report_id, state=job.state)


@route("GET", PATH + "/{report_id}", summary="A report's state, progress, totals and download link", tag=TAG, response=ReportOut, errors=(404,))
def get_report(ctx, report_id: str) -> ReportOut:
    return _report(reports.get(ctx.operator, report_id))


@route("GET", PATH + "/{report_id}/rows", summary="A report's rows (SHOW DATA), oldest first", tag=TAG, query=RowsQuery, response=RowsOut, errors=(400, 404))
def report_rows(ctx, report_id: str, query: RowsQuery) -> RowsOut:
    page = reports.rows(ctx.operator, report_id, query.cursor, query.limit)
    return RowsOut(rows=[RowOut.model_validate(r) for r in page.rows], next_cursor=page.cursor)
