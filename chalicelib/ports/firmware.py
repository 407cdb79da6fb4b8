"""The firmware port: firmware files, each station's latest update, campaigns and diagnostics uploads.

Every record is a small document under one organization (key `kind`, `sort key`), saved with an
optimistic revision: the charger's notifications, the operators and the minute job write the same
records, and a stale writer gets ConditionFailed instead of undoing a newer status. Records that the
minute job must revisit (an update in progress, a running campaign) carry `due_at` and are found
across organizations through one sparse index, never a Scan.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

# What the minute job looks for (the sparse index's partition values).
OPEN_UPDATE = "UPDATE"
OPEN_CAMPAIGN = "CAMPAIGN"


@dataclass(frozen=True)
class FirmwareFile:
    org_id: str
    file_id: str
    name: str
    version: str
    size: int
    key: str  # the object's key in the firmware bucket
    uploaded_by: str
    created_at: datetime
    vendor: str | None = None
    model: str | None = None
    state: str = "Awaiting upload"  # then "Ready" once the object is there with the declared size
    uploaded_at: datetime | None = None
    rev: int = 0


@dataclass(frozen=True)
class FirmwareUpdate:
    """A station's latest firmware update (one per station; a new one replaces the finished one)."""

    org_id: str
    station_id: str
    update_id: str
    file_id: str
    version: str
    status: str  # Requested, Accepted, Downloading, Downloaded, Installing, Installed, or a failure
    requested_by: str | None
    requested_at: datetime
    retrieve_date: datetime
    updated_at: datetime
    due_at: datetime | None  # when the minute job looks again; None once finished
    command_id: str | None = None
    campaign_id: str | None = None
    reason: str | None = None
    rev: int = 0


@dataclass(frozen=True)
class Campaign:
    org_id: str
    campaign_id: str
    file_id: str
    version: str
    group_id: str
    concurrency: int
    retries: int
    retry_interval: int
    created_by: str
    created_at: datetime
    state: str = "Running"  # then "Finished"
    finished_at: datetime | None = None
    rev: int = 0


@dataclass(frozen=True)
class CampaignStation:
    org_id: str
    campaign_id: str
    station_id: str
    state: str  # Waiting, Started, Installed, Failed, Offline (skipped)
    updated_at: datetime
    update_id: str | None = None
    reason: str | None = None
    rev: int = 0


@dataclass(frozen=True)
class DiagnosticsUpload:
    org_id: str
    station_id: str
    request_id: str
    key: str  # where the charger uploads, in the firmware bucket
    status: str  # Requested, Uploading, Uploaded, UploadFailed, Failed (the command failed)
    requested_by: str
    requested_at: datetime
    updated_at: datetime
    file_name: str | None = None  # what the charger answered GetDiagnostics with
    command_id: str | None = None
    reason: str | None = None
    rev: int = 0


T = TypeVar("T")


@dataclass(frozen=True)
class Record:
    """One stored document: its keys, the sparse index entry, the body as JSON, its revision."""

    org_id: str
    sort_key: str
    body: str
    rev: int
    open_kind: str | None = None
    due_at: str | None = None


class Primitives(Protocol):
    """What each implementation provides; FirmwareRecords builds the typed operations on it."""

    def _save(self, record: Record) -> None:
        """Store the record if the stored revision is record.rev - 1 (absent counts as 0); else ConditionFailed."""

    def _get(self, org_id: str, sort_key: str) -> Record | None: ...

    def _query(self, org_id: str, prefix: str, newest_first: bool = False, limit: int | None = None) -> list[Record]: ...

    def _open(self, open_kind: str, until: str) -> list[Record]:
        """Records of every organization whose sparse index entry is `open_kind` and due_at <= until."""


class FirmwareRecords:
    """The typed operations, the same for both implementations (they subclass this and add Primitives)."""

    # --- files ---
    def save_file(self, file: FirmwareFile) -> FirmwareFile:
        return self._store(file, f"FILE#{file.file_id}")

    def get_file(self, org_id: str, file_id: str) -> FirmwareFile | None:
        return _load(FirmwareFile, self._get(org_id, f"FILE#{file_id}"))

    def files(self, org_id: str) -> list[FirmwareFile]:
        return [_load(FirmwareFile, r) for r in self._query(org_id, "FILE#")]

    # --- a station's latest update ---
    def save_update(self, update: FirmwareUpdate) -> FirmwareUpdate:
        return self._store(update, f"UPDATE#{update.station_id}", OPEN_UPDATE if update.due_at else None, update.due_at)

    def get_update(self, org_id: str, station_id: str) -> FirmwareUpdate | None:
        return _load(FirmwareUpdate, self._get(org_id, f"UPDATE#{station_id}"))

    def updates(self, org_id: str) -> list[FirmwareUpdate]:
        return [_load(FirmwareUpdate, r) for r in self._query(org_id, "UPDATE#")]

    def due_updates(self, now: datetime) -> list[FirmwareUpdate]:
        return [_load(FirmwareUpdate, r) for r in self._open(OPEN_UPDATE, _text(now))]

    # --- campaigns ---
    def save_campaign(self, campaign: Campaign) -> Campaign:
        running = campaign.state == "Running"
        return self._store(campaign, f"CMP#{campaign.campaign_id}", OPEN_CAMPAIGN if running else None, campaign.created_at if running else None)

    def get_campaign(self, org_id: str, campaign_id: str) -> Campaign | None:
        return _load(Campaign, self._get(org_id, f"CMP#{campaign_id}"))

    def campaigns(self, org_id: str) -> list[Campaign]:
        return [_load(Campaign, r) for r in self._query(org_id, "CMP#", newest_first=True)]

    def running_campaigns(self, now: datetime) -> list[Campaign]:
        return [_load(Campaign, r) for r in self._open(OPEN_CAMPAIGN, _text(now))]

    def save_campaign_station(self, member: CampaignStation) -> CampaignStation:
        return self._store(member, f"CMS#{member.campaign_id}#{member.station_id}")

    def campaign_stations(self, org_id: str, campaign_id: str) -> list[CampaignStation]:
        return [_load(CampaignStation, r) for r in self._query(org_id, f"CMS#{campaign_id}#")]

    # --- diagnostics ---
    def save_diagnostics(self, upload: DiagnosticsUpload) -> DiagnosticsUpload:
        return self._store(upload, f"DIAG#{upload.station_id}#{_text(upload.requested_at)}#{upload.request_id}")

    def diagnostics(self, org_id: str, station_id: str, limit: int | None = None) -> list[DiagnosticsUpload]:
        """The station's diagnostics requests, newest first."""
        found = self._query(org_id, f"DIAG#{station_id}#", newest_first=True, limit=limit)
        return [_load(DiagnosticsUpload, r) for r in found]

    # --- shared ---
    def _store(self, value: T, sort_key: str, open_kind: str | None = None, due_at: datetime | None = None) -> T:
        """Save `value` as the next revision of what was read (rev + 1); the saved value is returned."""
        saved = replace(value, rev=value.rev + 1)
        body = {k: v for k, v in asdict(saved).items() if k not in ("org_id", "rev")}
        record = Record(value.org_id, sort_key, json.dumps(body, default=_text), saved.rev, open_kind, _text(due_at) if due_at else None)
        self._save(record)
        return saved


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def _load(kind: type[T], record: Record | None) -> T | None:
    if record is None:
        return None
    body = json.loads(record.body)
    for f in fields(kind):
        if "datetime" in str(f.type) and body.get(f.name) is not None:
            body[f.name] = datetime.fromisoformat(body[f.name])
    return kind(org_id=record.org_id, rev=record.rev, **body)


class Firmware(Protocol):
    """The port as the domain sees it (FirmwareRecords' public operations)."""

    def save_file(self, file: FirmwareFile) -> FirmwareFile: ...
    def get_file(self, org_id: str, file_id: str) -> FirmwareFile | None: ...
    def files(self, org_id: str) -> list[FirmwareFile]: ...
    def save_update(self, update: FirmwareUpdate) -> FirmwareUpdate: ...
    def get_update(self, org_id: str, station_id: str) -> FirmwareUpdate | None: ...
    def updates(self, org_id: str) -> list[FirmwareUpdate]: ...
    def due_updates(self, now: datetime) -> list[FirmwareUpdate]: ...
    def save_campaign(self, campaign: Campaign) -> Campaign: ...
    def get_campaign(self, org_id: str, campaign_id: str) -> Campaign | None: ...
    def campaigns(self, org_id: str) -> list[Campaign]: ...
    def running_campaigns(self, now: datetime) -> list[Campaign]: ...
    def save_campaign_station(self, member: CampaignStation) -> CampaignStation: ...
    def campaign_stations(self, org_id: str, campaign_id: str) -> list[CampaignStation]: ...
    def save_diagnostics(self, upload: DiagnosticsUpload) -> DiagnosticsUpload: ...
    def diagnostics(self, org_id: str, station_id: str, limit: int | None = None) -> list[DiagnosticsUpload]: ...
