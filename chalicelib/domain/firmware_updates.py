"""Firmware updates of single stations: UpdateFirmware with a presigned download URL, then the station's
FirmwareStatusNotifications, and a time-out when the station goes quiet (docs/adr/0016).

One record per station holds its latest update. Writers (the operator, the charger's notifications,
the minute job) save it with its revision and re-read on a conflict, so a late writer never undoes a
newer status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib import clock
from chalicelib.domain import charger_calls, firmware_files, optimistic, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, Invalid
from chalicelib.domain.ids import new_id
from chalicelib.observability import logger
from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.firmware import FirmwareFile, FirmwareUpdate
from chalicelib.ports.registry import store
from chalicelib.settings import get_settings

ACTION = "UpdateFirmware"
FAILED = frozenset({"DownloadFailed", "InstallationFailed", "Failed"})
FINAL = FAILED | {"Installed"}
IN_PROGRESS = "A firmware update is already in progress on this charging station."
# When the job first looks at a new update: the call's answer (or its time-out) is known by then.
ANSWER_CHECK = timedelta(seconds=charger_calls.ANSWER_TIMEOUT_S + 60)
# The download URL must outlive the charger's retrieveDate, its retries and a slow download ...
DOWNLOAD_WINDOW = timedelta(hours=1)
# ... but a URL signed by a Lambda role lasts at most as long as the role's session: keep it well inside.
MAX_URL_LIFETIME = timedelta(hours=12)
MAX_RETRIEVE_AHEAD = timedelta(hours=6)
MAX_RETRIES = 10
MAX_RETRY_INTERVAL_S = 3600


@dataclass(frozen=True)
class Options:
    retrieve_date: datetime | None = None
    retries: int | None = None
    retry_interval: int | None = None  # seconds


def update_station(principal: Principal, station_id: str, file_id: str, options: Options, now: datetime) -> FirmwareUpdate:
    """Send UpdateFirmware to one station of the operator's domain; CommandFailed when it cannot go out."""
    station_view.visible(principal, station_id)
    file = firmware_files.ready(principal, file_id)
    update = start(principal.org_id, station_id, file, options, now, principal.username)
    if update.status == "Failed":
        raise charger_calls.CommandFailed(update.reason or "")
    return update


def start(org_id: str, station_id: str, file: FirmwareFile, options: Options, now: datetime, requested_by: str | None,
          campaign_id: str | None = None) -> FirmwareUpdate:
    """Record the update (Requested), then send the call; Failed at once when it could not be sent."""
    retrieve = _retrieve_date(options.retrieve_date, now)
    current = store().firmware.get_update(org_id, station_id)
    if current is not None and current.status not in FINAL:
        raise Conflict(IN_PROGRESS)
    url = store().files.download_url(file.key, int(url_lifetime(retrieve - now, options).total_seconds()))
    update = FirmwareUpdate(org_id, station_id, new_id(), file.file_id, file.version, "Requested", requested_by, now,
                            retrieve, now, now + ANSWER_CHECK, campaign_id=campaign_id, rev=current.rev if current else 0)
    try:
        update = store().firmware.save_update(update)
    except ConditionFailed:
        raise Conflict(IN_PROGRESS) from None
    command = charger_calls.send(org_id, station_id, ACTION, _payload(url, retrieve, options), None if campaign_id else requested_by)
    problem = charger_calls.failure(command)
    if problem is not None:
        return _change(update, lambda u: replace(u, status="Failed", reason=problem, updated_at=now, due_at=None, command_id=command.command_id))
    return _change(update, lambda u: replace(u, command_id=command.command_id))


def url_lifetime(until_retrieve: timedelta, options: Options) -> timedelta:
    """From now to the retrieve date, plus every retry, plus the download itself; capped (ADR 0016)."""
    retries = (options.retries or 0) * timedelta(seconds=options.retry_interval or 0)
    return min(max(until_retrieve, timedelta(0)) + retries + DOWNLOAD_WINDOW, MAX_URL_LIFETIME)


def answered(org_id: str, station_id: str, command_id: str, now: datetime) -> None:
    """The station accepted the call (UpdateFirmware.conf has no status): wait for its notifications."""

    def accept(update: FirmwareUpdate) -> FirmwareUpdate | None:
        # The answer may beat the saving of the command id (a fast charger): the Requested update is this one.
        if update.command_id not in (command_id, None) or update.status != "Requested":
            return None  # a newer update, or a notification came first
        return replace(update, status="Accepted", updated_at=now, due_at=_quiet_deadline(max(update.retrieve_date, now)))

    _change_current(org_id, station_id, accept, "UpdateFirmware.conf")


def progress(org_id: str, station_id: str, status: str, now: datetime) -> None:
    """A FirmwareStatusNotification: the station's latest update moves on (Idle says nothing about it)."""
    if status == "Idle":
        return

    def moved(update: FirmwareUpdate) -> FirmwareUpdate:
        if update.status in FINAL and status != update.status:
            logger.info("firmware status after the update ended", extra={"station": station_id, "was": update.status, "now": status})
        return replace(update, status=status, updated_at=now, reason=None, due_at=None if status in FINAL else _quiet_deadline(now))

    _change_current(org_id, station_id, moved, "FirmwareStatusNotification")


def expire(now: datetime) -> int:
    """The minute job: updates whose call failed or whose station went quiet end Failed; returns how many."""
    ended = 0
    for update in store().firmware.due_updates(now):
        try:
            changed = _expire_one(update, now)
        except ConditionFailed:
            continue  # the station spoke meanwhile: its news wins, the next tick looks again
        ended += changed.status == "Failed"
    return ended


def _expire_one(update: FirmwareUpdate, now: datetime) -> FirmwareUpdate:
    if update.status == "Requested" and update.command_id:
        command = charger_calls.get(update.org_id, update.station_id, update.command_id)
        problem = charger_calls.failure(command)
        if command.state == "Answered":  # its answer was handled before the command id was saved
            return store().firmware.save_update(replace(update, status="Accepted", updated_at=now, due_at=_quiet_deadline(max(update.retrieve_date, now))))
        if problem is None:  # still on its way: look again later
            return store().firmware.save_update(replace(update, due_at=now + ANSWER_CHECK))
        reason = f"{charger_calls.COMMAND_FAILED} {problem}"
    else:
        minutes = get_settings().firmware_stall_minutes
        reason = f"No firmware status from the charging station for {minutes} minutes (last: {update.status})."
    logger.info("firmware update failed", extra={"station": update.station_id, "reason": reason})
    return store().firmware.save_update(replace(update, status="Failed", reason=reason, updated_at=now, due_at=None))


def current(principal: Principal, station_id: str) -> FirmwareUpdate | None:
    station_view.visible(principal, station_id)
    return store().firmware.get_update(principal.org_id, station_id)


def _change_current(org_id: str, station_id: str, change: Callable[[FirmwareUpdate], FirmwareUpdate | None], report: str) -> None:
    """A charger's report moves the station's update (logged when concurrent saves keep winning)."""
    update = store().firmware.get_update(org_id, station_id)
    if update is not None:
        optimistic.reported(report, station_id, lambda: _change(update, change))


def _change(update: FirmwareUpdate, change: Callable[[FirmwareUpdate], FirmwareUpdate | None]) -> FirmwareUpdate:
    return optimistic.save_changed(
        update, change, store().firmware.save_update, lambda u: store().firmware.get_update(u.org_id, u.station_id), conflict=IN_PROGRESS
    )


def _quiet_deadline(since: datetime) -> datetime:
    return since + timedelta(minutes=get_settings().firmware_stall_minutes)


def _retrieve_date(asked: datetime | None, now: datetime) -> datetime:
    retrieve = max(asked or now, now)
    if retrieve - now > MAX_RETRIEVE_AHEAD:
        raise Invalid("The retrieve date must be within 6 hours: the download link would expire before it.")
    return retrieve


def _payload(url: str, retrieve: datetime, options: Options) -> dict:
    payload: dict = {"location": url, "retrieveDate": clock.rfc3339(retrieve)}
    if options.retries is not None:
        payload["retries"] = options.retries
    if options.retry_interval is not None:
        payload["retryInterval"] = options.retry_interval
    return payload
