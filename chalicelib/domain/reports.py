"""Charging reports: start one (or join the running one of the same selection), follow it, page its rows.

A report is a job (docs/adr/0018-reports.md): the selection is checked and resolved once, then its
sessions are read page by page from the organization's time index and streamed as CSV to the reports
bucket in multipart parts. A job that cannot finish in one invocation records a checkpoint (the
sessions cursor after its last part) and is launched again from there; one that fails aborts its upload.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chalicelib import aws
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import NotFound
from chalicelib.domain.report_filter import Plan, Selection, plan, selection_key
from chalicelib.domain.report_rows import CsvBuffer, Labels, Row, kwh
from chalicelib.domain.time_slices import SlicedReads, SlicePage
from chalicelib.ports.registry import store
from chalicelib.ports.reports import DONE, FAILED, MIN_PART_BYTES, RUNNING, ReportJob
from chalicelib.settings import get_settings

log = logging.getLogger(__name__)
REPORT_MISSING = "Report not found."
PART_BYTES = MIN_PART_BYTES + 1024 * 1024  # a part is sent once the CSV text reaches this size
SESSIONS_PAGE = 1000
SMALL = 200  # sessions in the window up to which a report is made inside the request
LINK_SECONDS = 3600
PROGRESS_SECONDS = 2.0  # the shown progress is saved at least this often
READERS = 2  # time slices of the window read at once (docs/adr/0028-report-export-time-slices.md)
SLICE_PAGES = 8  # sessions per slice, in pages: what a reader reads ahead of the one being written


@dataclass
class RowsPage:
    rows: list[Row]
    cursor: str | None


# --- starting and following ----------------------------------------------------------------------
def start(operator: Principal, selection: Selection, now: datetime) -> ReportJob:
    """Check the selection, then run it here when it is small, else launch it; 4xx before anything is stored."""
    organization = store().stations.organization(operator.org_id)
    timezone = (organization.timezone if organization else None) or "UTC"
    resolved = plan(operator, selection, timezone)
    job = ReportJob(
        org_id=operator.org_id, report_id=uuid.uuid4().hex, selection_key=selection_key(operator, selection),
        selection={"request": selection.as_json(), "plan": resolved.as_json(), "base_path": operator.base_path},
        operator=operator.username,
        created_at=now, updated_at=now,
    )
    stored = store().reports.create_job(job)
    if stored.report_id != job.report_id:
        return stored  # the same selection is being generated: follow that one
    small = store().reports.sessions(job.org_id, resolved.start, resolved.end, min(SMALL, SESSIONS_PAGE), None)
    if small.cursor is None:
        run(job.org_id, job.report_id, budget_s=60.0)
        return store().reports.job(job.org_id, job.report_id) or job
    launch(job.org_id, job.report_id)
    return job


def get(operator: Principal, report_id: str) -> ReportJob:
    """A report of the operator's organization made for a domain inside theirs; else "Report not found."."""
    job = store().reports.job(operator.org_id, report_id) if 0 < len(report_id) <= 64 else None
    if job is None or not operator.covers(job.selection["base_path"]):
        raise NotFound(REPORT_MISSING)
    return job


def download_url(job: ReportJob) -> str | None:
    if job.state != DONE or not job.object_key:
        return None
    return store().reports.download_url(job.object_key, LINK_SECONDS)


def rows(operator: Principal, report_id: str, cursor: str | None, limit: int = 50) -> RowsPage:
    """SHOW DATA: the selection's rows oldest first, a page at a time (read from the index, not the file)."""
    job = get(operator, report_id)
    resolved = Plan.from_json(job.selection["plan"])
    labels = Labels(job.org_id, resolved.station_names, resolved.timezone)
    kept: list = []
    for _ in range(20):  # a sparse selection answers a short page (with a cursor) rather than reading on
        page = store().reports.sessions(job.org_id, resolved.start, resolved.end, limit - len(kept), cursor)
        kept.extend(s for s in page.items if resolved.keeps(s))
        cursor = page.cursor
        if cursor is None or len(kept) >= limit:
            break
    return RowsPage(labels.rows(kept), cursor)


# --- running a job -------------------------------------------------------------------------------
def run(org_id: str, report_id: str, budget_s: float, clock: Callable[[], float] = time.monotonic) -> bool:
    """Work on a job for about `budget_s`; True when it is over (Done or Failed), False: launch it again."""
    reports = store().reports
    job = reports.job(org_id, report_id)
    if job is None or job.state != RUNNING:
        return True
    try:
        return _work(job, clock() + budget_s, clock)
    except Exception as exc:  # any failure: the job says why, and no object is left behind
        log.exception("report %s of %s failed", report_id, org_id)
        _fail(job, f"{type(exc).__name__}: {exc}")
        return True


def _work(job: ReportJob, deadline: float, clock: Callable[[], float]) -> bool:
    reports = store().reports
    resolved = Plan.from_json(job.selection["plan"])
    labels = Labels(job.org_id, resolved.station_names, resolved.timezone)
    buffer = CsvBuffer(job.selection["request"]["delimiter"])
    checkpoint = _checkpoint(job)
    if job.upload_id is None:
        job.object_key = f"{job.org_id}/{job.report_id}/{file_name(job)}"
        job.upload_id = reports.start_upload(job.object_key, file_name(job))
        buffer.header()
    shown_at = clock()
    at = datetime.fromisoformat(checkpoint["from"]) if checkpoint.get("from") else resolved.start
    until = datetime.fromisoformat(checkpoint["until"]) if checkpoint.get("until") else None
    if checkpoint["cursor"] is not None and until is None:
        until = resolved.end  # a checkpoint of before the slices: the rest of the window is one slice
    read = lambda start, end, cursor: reports.sessions(job.org_id, start, end, SESSIONS_PAGE, cursor)  # noqa: E731
    with SlicedReads(read, at, resolved.end, cursor=checkpoint["cursor"], until=until, readers=READERS,
                     rows=SLICE_PAGES * SESSIONS_PAGE, ahead=SLICE_PAGES + 1) as pages:
        return _write_pages(job, resolved, labels, buffer, pages, deadline, clock, shown_at)


def _write_pages(job: ReportJob, resolved: Plan, labels: Labels, buffer: CsvBuffer, pages: SlicedReads,
                 deadline: float, clock: Callable[[], float], shown_at: float) -> bool:
    while True:
        page: SlicePage = pages.take()
        kept = [s for s in page.items if resolved.keeps(s)]
        buffer.write_all(labels.lines(kept))
        job.session_count += len(kept)
        job.total_wh += sum(s.energy_wh for s in kept)
        job.rows_done = job.session_count
        job.estimate = _estimate(job, resolved, page.items[-1].started_at if page.items else None, page.last)
        if page.last:
            _finish(job, buffer)
            return True
        if buffer.size >= PART_BYTES:
            _send_part(job, buffer)
            job.selection["checkpoint"] = {**page.resume(), "count": job.session_count, "wh": job.total_wh,
                                           "parts": len(job.parts)}
            _save(job)
            if clock() >= deadline:
                return False  # resumed from this part's end by the next invocation
            shown_at = clock()
        elif clock() - shown_at >= PROGRESS_SECONDS:
            _save(job)  # the shown progress only; the checkpoint stays at the last part
            shown_at = clock()


def _checkpoint(job: ReportJob) -> dict:
    """Where the last invocation's last part ended: counts and parts restored to it."""
    checkpoint = job.selection.get("checkpoint") or {"cursor": None, "count": 0, "wh": 0.0, "parts": 0}
    job.session_count, job.total_wh = checkpoint["count"], checkpoint["wh"]
    job.parts = job.parts[: checkpoint["parts"]]
    return checkpoint


def _estimate(job: ReportJob, resolved: Plan, reached: datetime | None, last: bool) -> int:
    """Rows expected in all: rows so far scaled by the share of the time window read (sessions are time-ordered)."""
    if last or reached is None:
        return job.session_count
    share = (reached - resolved.start) / (resolved.end - resolved.start)
    return max(job.session_count, int(job.session_count / share)) if share > 0 else job.session_count


def _send_part(job: ReportJob, buffer: CsvBuffer) -> None:
    number = len(job.parts) + 1
    etag = store().reports.upload_part(job.object_key, job.upload_id, number, buffer.take())
    job.parts.append([number, etag])


def _finish(job: ReportJob, buffer: CsvBuffer) -> None:
    if buffer.size or not job.parts:
        _send_part(job, buffer)
    store().reports.complete_upload(job.object_key, job.upload_id, job.parts)
    job.state, job.estimate, job.rows_done = DONE, job.session_count, job.session_count
    job.total_wh = round(job.total_wh, 3)
    _save(job)


def _fail(job: ReportJob, reason: str) -> None:
    if job.upload_id is not None:
        try:
            store().reports.abort_upload(job.object_key, job.upload_id)
        except Exception:  # the bucket's lifecycle rule removes parts left by an abort that failed too
            log.exception("aborting the upload of report %s failed", job.report_id)
    job.state, job.error, job.object_key = FAILED, f"Report generation failed: {reason}", None
    _save(job)


def _save(job: ReportJob) -> None:
    job.updated_at = datetime.now(job.created_at.tzinfo)
    store().reports.save_job(job)


def file_name(job: ReportJob) -> str:
    request, zone = job.selection["request"], job.selection["plan"]["timezone"]
    return f"charging-report_{job.org_id}_{request['from_date']}_{request['to_date']}_{zone.replace('/', '-')}.csv"


def total_kwh(job: ReportJob) -> float:
    return kwh(job.total_wh)


# --- launching a job outside the request ---------------------------------------------------------
_launcher: Callable[[str, str], None] | None = None


def set_launcher(launcher: Callable[[str, str], None] | None) -> None:
    """Replace how a job is launched (tests run it at once; None: the default)."""
    global _launcher
    _launcher = launcher


def launch(org_id: str, report_id: str) -> None:
    (_launcher or _default_launcher)(org_id, report_id)


def _default_launcher(org_id: str, report_id: str) -> None:
    """In AWS: an asynchronous invocation of the report worker; locally a background thread, the same way."""
    function = get_settings().reports_function
    if function:
        aws.invoke_async(function, {"org_id": org_id, "report_id": report_id})
        return
    threading.Thread(target=run_chained, args=(org_id, report_id), name=f"report-{report_id[:8]}", daemon=True).start()


def run_chained(org_id: str, report_id: str, budget_s: float | None = None) -> None:
    """One invocation's share of a job; launches the next one when the job is not over."""
    if not run(org_id, report_id, budget_s if budget_s is not None else get_settings().report_budget_s):
        launch(org_id, report_id)
