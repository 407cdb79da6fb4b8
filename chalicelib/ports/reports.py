"""The reports port: sessions of an organization by start time, report jobs, and the report files.

Sessions come from one index by organization and start time (a Query, never a Scan); the files are
written as multipart uploads, so a report of any size streams through a flat amount of memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from chalicelib.ports.paging import Page

RUNNING, DONE, FAILED = "Running", "Done", "Failed"
# S3's smallest part but the last; the in-memory store refuses smaller ones as S3 does.
MIN_PART_BYTES = 5 * 1024 * 1024
# Largest page of sessions one call returns (a DynamoDB Query page of projected sessions stays < 1 MB).
MAX_SESSIONS_PAGE = 1000


@dataclass(slots=True)
class ReportSession:
    """A charging session as a report row needs it (the index's projection).

    Not frozen: a report makes a million of them, and a frozen dataclass's __init__ (object.__setattr__ per
    field) costs about 3 us more each; nothing changes one after it is read."""

    transaction_id: int
    station_id: str
    connector_id: int
    id_tag: str
    user_id: str | None
    state: str
    started_at: datetime
    stopped_at: datetime | None
    energy_wh: float


@dataclass
class ReportJob:
    """One report: its selection, state and progress, and where its file's upload stands."""

    org_id: str
    report_id: str
    selection_key: str
    selection: dict
    operator: str
    created_at: datetime
    state: str = RUNNING
    rows_done: int = 0
    estimate: int = 0
    session_count: int = 0
    total_wh: float = 0.0
    cursor: str | None = None  # the sessions page to resume from (a chained invocation)
    object_key: str | None = None
    upload_id: str | None = None
    parts: list[list] = field(default_factory=list)  # [part number, etag]
    error: str | None = None
    updated_at: datetime | None = None


class Reports(Protocol):
    def sessions(self, org_id: str, start: datetime, end: datetime, limit: int, cursor: str | None) -> Page[ReportSession]:
        """Sessions with start <= started_at < end, oldest first (InvalidCursor for another listing's cursor)."""

    def create_job(self, job: ReportJob) -> ReportJob:
        """Store a new Running job, or return the Running job of the same selection (nothing stored then)."""

    def job(self, org_id: str, report_id: str) -> ReportJob | None: ...

    def save_job(self, job: ReportJob) -> None:
        """Store progress; a job no longer Running also releases its selection."""

    # --- report files (multipart uploads) ----------------------------------------------------------
    def start_upload(self, key: str, filename: str) -> str:
        """Begin a multipart upload of a CSV object; returns its upload id."""

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        """One part (>= MIN_PART_BYTES but the last); returns its ETag."""

    def complete_upload(self, key: str, upload_id: str, parts: list[list]) -> None: ...

    def abort_upload(self, key: str, upload_id: str) -> None:
        """Drop the upload and its parts: no object appears."""

    def download_url(self, key: str, seconds: int) -> str:
        """A presigned GET link to a finished report."""

    def read_object(self, key: str) -> bytes | None:
        """A finished report's bytes (None: no such object)."""
