"""The reports port in memory: sessions read from the records port's dicts, jobs and files in dicts."""

from __future__ import annotations

import copy
from datetime import datetime

from chalicelib.clock import UTC, sortable
from chalicelib.ports.paging import InvalidCursor, Page, pack, unpack
from chalicelib.ports.reports import MAX_SESSIONS_PAGE, MIN_PART_BYTES, RUNNING, ReportJob, ReportSession


class MemoryReports:
    def __init__(self, state) -> None:
        self.sessions_by_id: dict[int, dict] = state.collection("records.sessions")
        self.jobs: dict[tuple[str, str], ReportJob] = state.collection("reports.jobs")
        self.locks: dict[tuple[str, str], str] = state.collection("reports.locks")
        self.uploads: dict[str, dict] = state.collection("reports.uploads")
        self.objects: dict[str, bytes] = state.collection("reports.objects")

    def sessions(self, org_id: str, start: datetime, end: datetime, limit: int, cursor: str | None) -> Page[ReportSession]:
        limit = max(1, min(limit, MAX_SESSIONS_PAGE))
        after = _cursor(cursor, org_id)
        low, high = sortable(start.astimezone(UTC)), sortable(end.astimezone(UTC))
        keyed = sorted(
            ((sortable(r["started_at"].astimezone(UTC)), tid), r)
            for tid, r in self.sessions_by_id.items()
            if r["org_id"] == org_id and low <= sortable(r["started_at"].astimezone(UTC)) < high
        )
        if after is not None:
            keyed = [(key, r) for key, r in keyed if list(key) > after]
        page = keyed[:limit]
        more = len(keyed) > limit
        return Page([_session(r) for _, r in page], pack([org_id, *page[-1][0]]) if more else None)

    def create_job(self, job: ReportJob) -> ReportJob:
        held = self.locks.get((job.org_id, job.selection_key))
        running = self.jobs.get((job.org_id, held)) if held else None
        if running is not None and running.state == RUNNING:
            return copy.deepcopy(running)
        self.locks[(job.org_id, job.selection_key)] = job.report_id
        self.save_job(job)
        return job

    def job(self, org_id: str, report_id: str) -> ReportJob | None:
        found = self.jobs.get((org_id, report_id))
        return copy.deepcopy(found) if found is not None else None

    def save_job(self, job: ReportJob) -> None:
        self.jobs[(job.org_id, job.report_id)] = copy.deepcopy(job)
        if job.state != RUNNING and self.locks.get((job.org_id, job.selection_key)) == job.report_id:
            del self.locks[(job.org_id, job.selection_key)]

    # --- report files ------------------------------------------------------------------------------
    def start_upload(self, key: str, filename: str) -> str:
        upload_id = f"upload-{len(self.uploads) + 1}"
        self.uploads[upload_id] = {"key": key, "parts": {}}
        return upload_id

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        self._upload(key, upload_id)["parts"][number] = bytes(data)
        return f'"{number}-{len(data)}"'

    def complete_upload(self, key: str, upload_id: str, parts: list[list]) -> None:
        stored = self._upload(key, upload_id)["parts"]
        numbers = [n for n, _ in parts]
        if any(len(stored[n]) < MIN_PART_BYTES for n in numbers[:-1]):
            raise ValueError("EntityTooSmall: every part but the last must be at least 5 MiB")
        self.objects[key] = b"".join(stored[n] for n in numbers)
        del self.uploads[upload_id]

    def abort_upload(self, key: str, upload_id: str) -> None:
        self.uploads.pop(upload_id, None)

    def download_url(self, key: str, seconds: int) -> str:
        return f"memory://reports/{key}?expires={seconds}"

    def read_object(self, key: str) -> bytes | None:
        return self.objects.get(key)

    def _upload(self, key: str, upload_id: str) -> dict:
        upload = self.uploads.get(upload_id)
        if upload is None or upload["key"] != key:
            raise KeyError(f"NoSuchUpload: {upload_id}")
        return upload


def _session(record: dict) -> ReportSession:
    return ReportSession(
        transaction_id=int(record["transaction_id"]),
        station_id=record["station_id"],
        connector_id=int(record["connector_id"]),
        id_tag=record["id_tag"],
        user_id=record.get("user_id"),
        state=record["state"],
        started_at=record["started_at"],
        stopped_at=record.get("stopped_at"),
        energy_wh=float(record.get("energy_wh") or 0),
    )


def _cursor(cursor: str | None, org_id: str) -> list | None:
    if not cursor:
        return None
    value = unpack(cursor)
    if not isinstance(value, list) or len(value) != 3 or value[0] != org_id:
        raise InvalidCursor(cursor)
    return value[1:]


def build(state) -> MemoryReports:
    return MemoryReports(state)
