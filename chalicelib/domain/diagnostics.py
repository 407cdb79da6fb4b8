"""GetDiagnostics: the charger uploads its diagnostics file to a presigned S3 location the system hosts,
reports DiagnosticsStatusNotification, and operators of the station's domain download it (docs/adr/0016).

OCPP 1.6 lets the charger pick FTP or HTTP(S); this system offers one HTTPS URL that takes a single PUT of
the file, used as given (a charger that appends its file name to the location breaks the signature).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain import charger_calls, optimistic, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.ports.firmware import DiagnosticsUpload
from chalicelib.ports.registry import store

ACTION = "GetDiagnostics"
UPLOAD_WINDOW = timedelta(hours=1)  # the charger collects and uploads at once; retries extend it
MAX_UPLOAD_URL = timedelta(hours=12)
DOWNLOAD_SECONDS = 5 * 60  # an operator's browser starts the download right away
HISTORY = 20
REQUEST_MISSING = "Diagnostics request not found."
NOT_UPLOADED = "The diagnostics file has not been uploaded yet."
REQUEST_CHANGED = "The diagnostics request was changed at the same time. Try again."


@dataclass(frozen=True)
class Options:
    start_time: datetime | None = None
    stop_time: datetime | None = None
    retries: int | None = None
    retry_interval: int | None = None


def request(principal: Principal, station_id: str, options: Options, now: datetime) -> DiagnosticsUpload:
    """Send GetDiagnostics with a fresh upload URL; CommandFailed when the call cannot go out."""
    station_view.visible(principal, station_id)
    request_id = new_id()
    key = f"diagnostics/{principal.org_id}/{station_id}/{request_id}"
    extra = (options.retries or 0) * timedelta(seconds=options.retry_interval or 0)
    url = store().files.upload_url(key, int(min(UPLOAD_WINDOW + extra, MAX_UPLOAD_URL).total_seconds()))
    upload = store().firmware.save_diagnostics(
        DiagnosticsUpload(principal.org_id, station_id, request_id, key, "Requested", principal.username, now, now)
    )
    command = charger_calls.send(principal.org_id, station_id, ACTION, _payload(url, options), principal.username)
    problem = charger_calls.failure(command)
    if problem is not None:
        store().firmware.save_diagnostics(replace(upload, status="Failed", reason=problem, command_id=command.command_id, updated_at=now))
        raise charger_calls.CommandFailed(problem)
    return _save_latest(upload, lambda u: replace(u, command_id=command.command_id))


def answered(org_id: str, station_id: str, command_id: str, file_name: str | None, now: datetime) -> None:
    """GetDiagnostics.conf names the file the charger will upload; no name: it has no diagnostics."""
    asked = next((u for u in store().firmware.diagnostics(org_id, station_id, limit=HISTORY)
                  if u.command_id in (command_id, None) and u.status == "Requested"), None)
    if asked is None:
        return
    outcome = "Requested" if file_name else "No diagnostics"

    def named(upload: DiagnosticsUpload) -> DiagnosticsUpload:  # a notification may have come first
        return replace(upload, file_name=file_name, status=outcome if upload.status == "Requested" else upload.status, updated_at=now)

    optimistic.reported("GetDiagnostics.conf", station_id, lambda: _save_latest(asked, named))


def progress(org_id: str, station_id: str, status: str, now: datetime) -> None:
    """A DiagnosticsStatusNotification (Uploading, Uploaded, UploadFailed) moves the latest request."""
    if status == "Idle":
        return
    latest = store().firmware.diagnostics(org_id, station_id, limit=1)
    if latest:
        change = lambda u: replace(u, status=status, updated_at=now)  # noqa: E731
        optimistic.reported("DiagnosticsStatusNotification", station_id, lambda: _save_latest(latest[0], change))


def listing(principal: Principal, station_id: str) -> list[DiagnosticsUpload]:
    station_view.visible(principal, station_id)
    return store().firmware.diagnostics(principal.org_id, station_id, limit=HISTORY)


def download_url(principal: Principal, station_id: str, request_id: str) -> tuple[str, int]:
    """A short-lived GET URL of the uploaded file (whatever the charger reported, the file must be there)."""
    upload = next((u for u in listing(principal, station_id) if u.request_id == request_id), None)
    if upload is None:
        raise NotFound(REQUEST_MISSING)
    if store().files.size(upload.key) is None:
        raise Conflict(NOT_UPLOADED)
    name = upload.file_name or f"{station_id}-diagnostics-{upload.requested_at:%Y%m%dT%H%M%SZ}"
    return store().files.download_url(upload.key, DOWNLOAD_SECONDS, name), DOWNLOAD_SECONDS


def _save_latest(upload: DiagnosticsUpload, change) -> DiagnosticsUpload:
    return optimistic.save_changed(upload, change, store().firmware.save_diagnostics, _reread, conflict=REQUEST_CHANGED)


def _reread(upload: DiagnosticsUpload) -> DiagnosticsUpload | None:
    found = store().firmware.diagnostics(upload.org_id, upload.station_id, limit=HISTORY)
    return next((u for u in found if u.request_id == upload.request_id), None)


def _payload(url: str, options: Options) -> dict:
    payload: dict = {"location": url}
    for key, value in (("startTime", options.start_time), ("stopTime", options.stop_time)):
        if value is not None:
            payload[key] = clock.rfc3339(value)
    if options.retries is not None:
        payload["retries"] = options.retries
    if options.retry_interval is not None:
        payload["retryInterval"] = options.retry_interval
    return payload
