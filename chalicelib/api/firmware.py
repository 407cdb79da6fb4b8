"""Firmware: files uploaded to the firmware bucket, updates of one station, campaigns, the versions inventory."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import firmware_campaigns, firmware_files, firmware_inventory, firmware_updates
from chalicelib.domain.errors import NotFound

TAG = "firmware"
PATH = "/api/v1/firmware"
Text = Annotated[str, Field(min_length=1, max_length=100)]
Id = Annotated[str, Field(min_length=1, max_length=64)]


class FileIn(In):
    name: Text = Field(description="File name as uploaded (kept for the operators; the object key is derived from it)")
    version: Text = Field(description="Firmware version the file installs")
    size: int = Field(gt=0, le=firmware_files.MAX_FILE_BYTES, description="Exact size in bytes: the upload form accepts only this size")
    vendor: Text | None = Field(default=None, description="Charger vendor the file is for (BootNotification chargePointVendor)")
    model: Text | None = Field(default=None, description="Charger model the file is for")


class FileOut(Out):
    file_id: str
    name: str
    version: str
    size: int
    vendor: str | None
    model: str | None
    state: str = Field(description="'Awaiting upload' until the upload is confirmed, then 'Ready'")
    uploaded_by: str
    created_at: datetime
    uploaded_at: datetime | None


class UploadFormOut(Out):
    method: str = Field(description="POST, as multipart/form-data: every field of `fields` first, then the file as `file`")
    url: str
    fields: dict[str, str]
    expires_in: int = Field(description="Seconds the form is valid")


class UploadOut(Out):
    file: FileOut
    upload: UploadFormOut


class FileListOut(Out):
    items: list[FileOut]


class OptionsIn(In):
    retries: int | None = Field(default=None, ge=0, le=firmware_updates.MAX_RETRIES, description="How often the charger may retry the download")
    retry_interval: int | None = Field(default=None, ge=1, le=firmware_updates.MAX_RETRY_INTERVAL_S, description="Seconds between retries")


class UpdateIn(OptionsIn):
    file_id: Id
    retrieve_date: datetime | None = Field(default=None, description="When the charger starts downloading (default now, at most 6 hours ahead)")


class UpdateOut(Out):
    station_id: str
    update_id: str
    file_id: str
    version: str
    status: str = Field(description="Requested, Accepted, Downloading, Downloaded, Installing, Installed, DownloadFailed, InstallationFailed or Failed")
    reason: str | None
    requested_by: str | None
    requested_at: datetime
    retrieve_date: datetime
    updated_at: datetime
    campaign_id: str | None
    command_id: str | None


class CampaignIn(OptionsIn):
    group_id: Id = Field(description="Every station of this group and its subgroups")
    file_id: Id
    concurrency: int = Field(default=5, ge=1, le=50, description="How many stations update at the same time")


class CampaignOut(Out):
    campaign_id: str
    group_id: str
    file_id: str
    version: str
    concurrency: int
    state: str = Field(description="Running or Finished")
    created_by: str
    created_at: datetime
    finished_at: datetime | None


class CampaignStationOut(Out):
    station_id: str
    state: str = Field(description="Waiting, Started, Installed, Failed or Offline (skipped: not connected when its turn came)")
    update_status: str | None = Field(description="The station's update status while Started")
    reason: str | None
    updated_at: datetime


class CampaignDetailOut(CampaignOut):
    counts: dict[str, int] = Field(description="Stations per state")
    stations: list[CampaignStationOut]


class CampaignListOut(Out):
    items: list[CampaignOut]


class VersionsQuery(In):
    group_id: Id | None = Field(default=None, description="Only this group's subtree")


class VersionRowOut(Out):
    station_id: str
    name: str
    group_id: str | None
    firmware_version: str | None = Field(description="As the station's last BootNotification said")
    update_status: str | None


class VersionsOut(Out):
    versions: dict[str, int] = Field(description="Stations per firmware version ('unknown': never booted)")
    stations: list[VersionRowOut]


@route("POST", PATH + "/files", summary="Start a firmware file upload: the file is recorded and a presigned upload form returned", tag=TAG, access=ADMIN, body=FileIn, response=UploadOut, status=201, errors=(400, 403))
def upload_file(ctx, body: FileIn) -> UploadOut:
    started = firmware_files.start_upload(ctx.operator, body.name, body.version, body.size, body.vendor, body.model, ctx.now)
    form = UploadFormOut(method="POST", url=started.form.url, fields=started.form.fields, expires_in=started.expires_in)
    return UploadOut(file=FileOut.model_validate(started.file), upload=form)


@route("POST", PATH + "/files/{file_id}/uploaded", summary="Confirm an upload: the file is Ready once the bucket holds it with its size", tag=TAG, access=ADMIN, response=FileOut, errors=(403, 404, 409))
def confirm_upload(ctx, file_id: str) -> FileOut:
    return FileOut.model_validate(firmware_files.complete_upload(ctx.operator, file_id, ctx.now))


@route("GET", PATH + "/files", summary="The organization's firmware files, newest first", tag=TAG, response=FileListOut)
def list_files(ctx) -> FileListOut:
    return FileListOut(items=[FileOut.model_validate(f) for f in firmware_files.listing(ctx.operator)])


@route("GET", PATH + "/versions", summary="Firmware versions of the stations of your domain, with counts per version", tag=TAG, query=VersionsQuery, response=VersionsOut, errors=(404,))
def versions(ctx, query: VersionsQuery) -> VersionsOut:
    found = firmware_inventory.inventory(ctx.operator, query.group_id)
    return VersionsOut(versions=found.versions, stations=[VersionRowOut.model_validate(r) for r in found.stations])


@route("POST", "/api/v1/stations/{station_id}/firmware-update", summary="Send UpdateFirmware with a download link of a Ready file", tag=TAG, access=ADMIN, body=UpdateIn, response=UpdateOut, status=202, errors=(400, 403, 404, 409))
def update_station(ctx, station_id: str, body: UpdateIn) -> UpdateOut:
    options = firmware_updates.Options(body.retrieve_date, body.retries, body.retry_interval)
    return UpdateOut.model_validate(firmware_updates.update_station(ctx.operator, station_id, body.file_id, options, ctx.now))


@route("GET", "/api/v1/stations/{station_id}/firmware-update", summary="The station's latest firmware update and its status", tag=TAG, response=UpdateOut, errors=(404,))
def station_update(ctx, station_id: str) -> UpdateOut:
    found = firmware_updates.current(ctx.operator, station_id)
    if found is None:
        raise NotFound("No firmware update has been sent to this charging station.")
    return UpdateOut.model_validate(found)


@route("POST", PATH + "/campaigns", summary="Update every station of a group, a few at a time", tag=TAG, access=ADMIN, body=CampaignIn, response=CampaignDetailOut, status=201, errors=(400, 403, 404, 409))
def create_campaign(ctx, body: CampaignIn) -> CampaignDetailOut:
    options = firmware_updates.Options(None, body.retries, body.retry_interval)
    return _detail(firmware_campaigns.create(ctx.operator, body.group_id, body.file_id, body.concurrency, options, ctx.now))


@route("GET", PATH + "/campaigns", summary="Firmware campaigns of groups in your domain, newest first", tag=TAG, response=CampaignListOut)
def list_campaigns(ctx) -> CampaignListOut:
    return CampaignListOut(items=[CampaignOut.model_validate(c) for c in firmware_campaigns.listing(ctx.operator)])


@route("GET", PATH + "/campaigns/{campaign_id}", summary="A campaign with each station's state", tag=TAG, response=CampaignDetailOut, errors=(404,))
def get_campaign(ctx, campaign_id: str) -> CampaignDetailOut:
    return _detail(firmware_campaigns.view(ctx.operator, campaign_id))


def _detail(found: firmware_campaigns.CampaignView) -> CampaignDetailOut:
    stations = [CampaignStationOut.model_validate(m) for m in found.stations]
    return CampaignDetailOut.model_validate({**CampaignOut.model_validate(found.campaign).model_dump(), "counts": found.counts, "stations": stations})
