"""Report jobs: launched outside the request, chained across invocations from a checkpoint, failing cleanly."""

from __future__ import annotations

import time

import pytest

from chalicelib.domain import reports
from tests.api.test_reports import ALL_DAYS, V1, _csv, charged  # noqa: F401  (the fixture)


class Clock:
    """Each reading is 10 s later: every invocation's budget runs out after its first part."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        self.t += 10.0
        return self.t


@pytest.fixture
def tiny_parts(monkeypatch, charged):  # noqa: F811
    """Pages of two sessions and a part per page (moto's 5 MiB minimum part lowered to match)."""
    monkeypatch.setattr(reports, "SESSIONS_PAGE", 2)
    monkeypatch.setattr(reports, "PART_BYTES", 1)
    monkeypatch.setattr("moto.s3.models.S3_UPLOAD_PART_MIN_SIZE", 1)
    launched: list[tuple[str, str]] = []
    reports.set_launcher(lambda org_id, report_id: launched.append((org_id, report_id)))
    yield launched
    reports.set_launcher(None)


@pytest.mark.parametrize(("readers", "invocations_needed"), [
    (1, 3),  # one Query: pages [1, 2] [3, 6] [4], a part each but [6]'s (an Active session: not in the report)
    (2, 4),  # the first page [1, 2] (an hour: 4 pages' 8 sessions in 8 hours), then slices [3] [6] [4]
])
def test_a_large_report_is_launched_and_chains_from_its_checkpoint(tiny_parts, charged, monkeypatch,  # noqa: F811
                                                                   readers, invocations_needed):
    monkeypatch.setattr(reports, "READERS", readers)
    monkeypatch.setattr(reports, "SLICE_PAGES", 4)
    started = charged.admin.post(V1, ALL_DAYS)
    assert (started.status, started.body["state"]) == (202, "Running")
    report_id = started.body["report_id"]
    assert tiny_parts == [("ACME", report_id)]
    again = charged.basic.post(V1, ALL_DAYS)  # the same selection by the same domain joins the running job
    assert again.body == {"report_id": report_id, "state": "Running"}
    assert len(tiny_parts) == 1
    assert reports.run("ACME", report_id, budget_s=1.0, clock=Clock()) is False  # one part, then out of time
    running = charged.admin.get(f"{V1}/{report_id}").body
    assert (running["state"], running["rows_done"], running["download_url"]) == ("Running", 2, None)
    assert running["estimate"] >= 2 and running["total_kwh"] == 6.24  # sessions 1 and 2 so far
    invocations, over = 1, False
    while not over:
        invocations += 1
        over = reports.run("ACME", report_id, budget_s=1.0, clock=Clock())
    done = charged.admin.get(f"{V1}/{report_id}").body
    assert (done["state"], done["session_count"], done["total_kwh"], invocations) == ("Done", 4, 13.38, invocations_needed)
    lines = _csv(done)
    assert [line[8] for line in lines[1:]] == ["EVI00000013", "EVI00000014", "EVI00000015", "EVI00000017"]
    assert lines[0][0] == "Charging user"  # one header, at the top


def test_a_report_read_in_slices_is_the_same_file_as_one_read_in_one_query(tiny_parts, charged, monkeypatch):  # noqa: F811
    files = []
    for readers in (1, 2, 3):
        monkeypatch.setattr(reports, "READERS", readers)
        report_id = charged.admin.post(V1, ALL_DAYS).body["report_id"]
        while not reports.run("ACME", report_id, budget_s=1.0, clock=Clock()):
            pass  # an invocation per part, each resumed from the checkpoint of the one before
        done = charged.admin.get(f"{V1}/{report_id}").body
        assert (done["state"], done["session_count"], done["total_kwh"]) == ("Done", 4, 13.38)
        files.append(_bytes(done))
    assert files[0] == files[1] == files[2]
    assert files[0].count(b"\r\n") == 5 and b"2026-03-29T04:30:00+03:00" in files[0]  # after the DST change


def _bytes(report: dict) -> bytes:
    from chalicelib.ports.registry import store

    return store().reports.read_object(store().reports.job("ACME", report["report_id"]).object_key)


def test_a_job_failing_midway_is_failed_with_its_reason_and_leaves_no_object(tiny_parts, charged, monkeypatch):  # noqa: F811
    from chalicelib import aws
    from chalicelib.settings import get_settings
    from chalicelib.storage.adapters.reports import DynamoReports

    sent = DynamoReports.upload_part
    calls = []

    def second_part_fails(self, key, upload_id, number, data):
        calls.append(number)
        if number == 2:
            raise OSError("connection reset by peer")
        return sent(self, key, upload_id, number, data)

    monkeypatch.setattr(DynamoReports, "upload_part", second_part_fails)
    report_id = charged.admin.post(V1, ALL_DAYS).body["report_id"]
    assert reports.run("ACME", report_id, budget_s=600.0) is True
    failed = charged.admin.get(f"{V1}/{report_id}").body
    assert (failed["state"], failed["download_url"]) == ("Failed", None)
    assert failed["error"] == "Report generation failed: OSError: connection reset by peer"
    assert calls == [1, 2]
    bucket = get_settings().reports_bucket
    assert aws.s3().list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    assert aws.s3().list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []  # aborted, not left to expire
    assert charged.admin.post(V1, ALL_DAYS).body["report_id"] != report_id  # the selection is free again


def test_locally_a_launched_job_runs_in_a_background_thread(charged, monkeypatch):  # noqa: F811
    monkeypatch.setattr(reports, "SESSIONS_PAGE", 2)
    report_id = charged.admin.post(V1, ALL_DAYS).body["report_id"]
    deadline = time.monotonic() + 30
    while (body := charged.admin.get(f"{V1}/{report_id}").body)["state"] == "Running" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (body["state"], body["total_kwh"]) == ("Done", 13.38)
