"""Reports on the local stack: generated in a background thread, the presigned link downloads over HTTP."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.request
from datetime import UTC, datetime, timedelta

from chalicelib.ports.records import NewSession, SessionClosed


def _call(method: str, url: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method), timeout=30) as answer:  # noqa: S310
        return json.loads(answer.read() or b"null")


def test_a_report_made_on_the_stack_downloads_with_its_presigned_link(stack, monkeypatch):
    from chalicelib.domain import reports
    from chalicelib.ports.registry import store

    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # Helsinki leaves summer time on the 25th at 04:00 (+03 -> +02)
    for n in range(1, 6):
        at = start + timedelta(hours=n)
        store().records.create_session(NewSession(90_000 + n, "ACME", "EVI00000013", 1, "12345678", "scrooge@duckburg.com",
                                                  "Accepted", at, 0.0, 22000.0, 0.0), at)
        store().records.close("ACME", "EVI00000013", SessionClosed(90_000 + n, at + timedelta(minutes=30), 1000.0 * n, 1000.0 * n))
    monkeypatch.setattr(reports, "SESSIONS_PAGE", 2)  # several pages: the job runs in the stack's background thread
    token = _call("POST", f"{stack.http_url}/api/v1/auth/login",
                  {"username": "acme-basic", "password": stack.credentials["acme-basic"]})["token"]
    started = _call("POST", f"{stack.http_url}/api/v1/reports", {"from": "2026-10-25", "to": "2026-10-25", "delimiter": ";"}, token)
    assert started["state"] == "Running"
    deadline = time.monotonic() + 30
    while (report := _call("GET", f"{stack.http_url}/api/v1/reports/{started['report_id']}", token=token))["state"] == "Running":
        assert time.monotonic() < deadline, report
        time.sleep(0.1)
    assert (report["state"], report["session_count"], report["total_kwh"]) == ("Done", 5, 15.0)
    assert report["download_url"].startswith(stack.aws_endpoint)
    with urllib.request.urlopen(report["download_url"], timeout=30) as answer:  # noqa: S310 (moto's S3, a plain GET)
        assert report["file_name"] in answer.headers["content-disposition"]
        text = answer.read().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [line[5] for line in lines[1:]] == [
        "2026-10-25T02:00:00+03:00", "2026-10-25T03:00:00+03:00", "2026-10-25T03:00:00+02:00",
        "2026-10-25T04:00:00+02:00", "2026-10-25T05:00:00+02:00",
    ]
    assert [line[4] for line in lines[1:]] == ["1.000", "2.000", "3.000", "4.000", "5.000"]


def test_the_stack_s_reports_bucket_expires_reports_as_the_template_says(stack):
    from chalicelib import aws
    from chalicelib.settings import get_settings

    rules = aws.s3().get_bucket_lifecycle_configuration(Bucket=get_settings().reports_bucket)["Rules"]
    assert [(r["ID"], r["Status"], r["Expiration"]["Days"], r["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])
            for r in rules] == [("expire-generated-reports", "Enabled", 7, 1)]
