"""Diagnostics: ask a station to upload its diagnostics file, follow the upload, download the file."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.api.routing import route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import diagnostics

TAG = "diagnostics"
PATH = "/api/v1/stations/{station_id}/diagnostics"


class DiagnosticsIn(In):
    start_time: datetime | None = Field(default=None, description="Oldest diagnostics information wanted")
    stop_time: datetime | None = Field(default=None, description="Newest diagnostics information wanted")
    retries: int | None = Field(default=None, ge=0, le=10)
    retry_interval: int | None = Field(default=None, ge=1, le=3600, description="Seconds between the charger's upload retries")


class DiagnosticsOut(Out):
    request_id: str
    station_id: str
    status: str = Field(description="Requested, No diagnostics, Uploading, Uploaded, UploadFailed or Failed (the call failed)")
    file_name: str | None = Field(description="The file name the charger answered with")
    reason: str | None
    requested_by: str
    requested_at: datetime
    updated_at: datetime


class DiagnosticsListOut(Out):
    items: list[DiagnosticsOut]


class DownloadOut(Out):
    url: str = Field(description="GET this URL to download the file")
    expires_in: int


@route("POST", PATH, summary="Send GetDiagnostics: the station uploads its diagnostics to a location this system hosts", tag=TAG, body=DiagnosticsIn, response=DiagnosticsOut, status=202, errors=(400, 404, 409))
def request_diagnostics(ctx, station_id: str, body: DiagnosticsIn) -> DiagnosticsOut:
    options = diagnostics.Options(body.start_time, body.stop_time, body.retries, body.retry_interval)
    return DiagnosticsOut.model_validate(diagnostics.request(ctx.operator, station_id, options, ctx.now))


@route("GET", PATH, summary="The station's diagnostics requests, newest first", tag=TAG, response=DiagnosticsListOut, errors=(404,))
def list_diagnostics(ctx, station_id: str) -> DiagnosticsListOut:
    return DiagnosticsListOut(items=[DiagnosticsOut.model_validate(u) for u in diagnostics.listing(ctx.operator, station_id)])


@route("GET", PATH + "/{request_id}/download", summary="A short-lived download link of an uploaded diagnostics file", tag=TAG, response=DownloadOut, errors=(404, 409))
def download_diagnostics(ctx, station_id: str, request_id: str) -> DownloadOut:
    url, expires_in = diagnostics.download_url(ctx.operator, station_id, request_id)
    return DownloadOut(url=url, expires_in=expires_in)
