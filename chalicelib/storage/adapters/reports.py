"""The reports port on AWS: the transactions table's by-org-time index, job items in the counters
table, and the report files as S3 multipart uploads in the reports bucket."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, PutError, QueryError

from chalicelib import aws
from chalicelib.ports.paging import InvalidCursor, Page
from chalicelib.ports.reports import MAX_SESSIONS_PAGE, RUNNING, ReportJob, ReportSession
from chalicelib.settings import get_settings
from chalicelib.storage.models import ReportJobItem, ReportLockItem, TransactionItem
from chalicelib.storage.paging import decode_cursor, encode_cursor
from chalicelib.storage.plain_items import plain_items

# A lock outlives a job that died without saying so (a killed invocation) by at most this long.
LOCK_SECONDS = 3600
JOB_DAYS = 30


def session_value(item: dict) -> ReportSession:
    """A session from the index's projected item as DynamoDB returns it ({name: {type: value}})."""
    # Positional and with one lookup per attribute: a report reads a million of these. The times are
    # PynamoDB's UTCDateTimeAttribute text ("%Y-%m-%dT%H:%M:%S.%f+0000"), which fromisoformat reads
    # (Python >= 3.11) in a tenth of PynamoDB's own parser's time.
    get = item.get
    stopped, user, energy = get("stopped_at"), get("user_id"), get("energy_wh")
    return ReportSession(
        int(item["transaction_id"]["N"]), item["station_id"]["S"], int(item["connector_id"]["N"]), item["id_tag"]["S"],
        user["S"] if user is not None and "S" in user else None,
        item["state"]["S"],
        datetime.fromisoformat(item["started_at"]["S"]),
        datetime.fromisoformat(stopped["S"]) if stopped is not None and "S" in stopped else None,
        float(energy["N"]) if energy is not None and "N" in energy else 0.0,
    )


def job_body(job: ReportJob) -> str:
    return json.dumps(asdict(job), default=lambda v: v.isoformat(), separators=(",", ":"))


def job_value(body: str) -> ReportJob:
    raw = json.loads(body)
    for name in ("created_at", "updated_at"):
        raw[name] = datetime.fromisoformat(raw[name]) if raw.get(name) else None
    return ReportJob(**raw)


def job_name(org_id: str, report_id: str) -> str:
    return f"report#{org_id}#{report_id}"


def lock_name(org_id: str, selection_key: str) -> str:
    return f"report-running#{org_id}#{selection_key}"


class DynamoReports:
    def sessions(self, org_id: str, start: datetime, end: datetime, limit: int, cursor: str | None) -> Page[ReportSession]:
        # One Query page read as plain items (storage/plain_items.py), no model instances: a report reads
        # a million sessions, and botocore's parser and PynamoDB's models were most of our CPU per row.
        limit = max(1, min(limit, MAX_SESSIONS_PAGE))
        begin = decode_cursor(cursor, ("org_id", org_id))
        condition = TransactionItem.started_at.between(start, end - timedelta(microseconds=1))
        table = TransactionItem._get_connection()
        try:
            with plain_items(table.connection.client):
                answer = table.query(org_id, range_key_condition=condition, index_name=TransactionItem.by_org_time.Meta.index_name,
                                     limit=limit, exclusive_start_key=begin)
        except QueryError as exc:
            if begin is not None and "ValidationException" in str(exc.cause or exc):
                raise InvalidCursor(cursor) from exc
            raise
        return Page([session_value(item) for item in answer.get("Items", ())], encode_cursor(answer.get("LastEvaluatedKey")))

    def create_job(self, job: ReportJob) -> ReportJob:
        lock = ReportLockItem(lock_name(job.org_id, job.selection_key), report_id=job.report_id,
                              expires=job.created_at + timedelta(seconds=LOCK_SECONDS))
        try:
            lock.save(ReportLockItem.name.does_not_exist())
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                raise
            running = self._running(job)
            if running is not None:
                return running
            lock.save()  # the locked job is over (or gone): this one takes the selection
        self.save_job(job)
        return job

    def _running(self, job: ReportJob) -> ReportJob | None:
        lock = ReportLockItem.get(lock_name(job.org_id, job.selection_key), consistent_read=True)
        held = self.job(job.org_id, lock.report_id)
        fresh = lock.expires is not None and lock.expires > job.created_at
        return held if held is not None and held.state == RUNNING and fresh else None

    def job(self, org_id: str, report_id: str) -> ReportJob | None:
        try:
            item = ReportJobItem.get(job_name(org_id, report_id), consistent_read=True)
        except ReportJobItem.DoesNotExist:
            return None
        return job_value(item.body)

    def save_job(self, job: ReportJob) -> None:
        expires = job.created_at + timedelta(days=JOB_DAYS)
        ReportJobItem(job_name(job.org_id, job.report_id), state=job.state, body=job_body(job), expires=expires).save()
        if job.state != RUNNING:
            try:
                ReportLockItem(lock_name(job.org_id, job.selection_key)).delete(ReportLockItem.report_id == job.report_id)
            except DeleteError as exc:  # another job holds the selection now: its lock stays
                if exc.cause_response_code != "ConditionalCheckFailedException":
                    raise

    # --- report files ------------------------------------------------------------------------------
    def start_upload(self, key: str, filename: str) -> str:
        answer = aws.s3().create_multipart_upload(
            Bucket=_bucket(), Key=key, ContentType="text/csv; charset=utf-8",
            ContentDisposition=f'attachment; filename="{filename}"',
        )
        return answer["UploadId"]

    def upload_part(self, key: str, upload_id: str, number: int, data: bytes) -> str:
        return aws.s3().upload_part(Bucket=_bucket(), Key=key, UploadId=upload_id, PartNumber=number, Body=data)["ETag"]

    def complete_upload(self, key: str, upload_id: str, parts: list[list]) -> None:
        done = {"Parts": [{"PartNumber": n, "ETag": etag} for n, etag in parts]}
        aws.s3().complete_multipart_upload(Bucket=_bucket(), Key=key, UploadId=upload_id, MultipartUpload=done)

    def abort_upload(self, key: str, upload_id: str) -> None:
        aws.s3().abort_multipart_upload(Bucket=_bucket(), Key=key, UploadId=upload_id)

    def download_url(self, key: str, seconds: int) -> str:
        params = {"Bucket": _bucket(), "Key": key}
        return aws.s3().generate_presigned_url("get_object", Params=params, ExpiresIn=seconds)

    def read_object(self, key: str) -> bytes | None:
        s3 = aws.s3()
        try:
            return s3.get_object(Bucket=_bucket(), Key=key)["Body"].read()
        except s3.exceptions.NoSuchKey:
            return None


def _bucket() -> str:
    return get_settings().reports_bucket


def build() -> DynamoReports:
    return DynamoReports()



