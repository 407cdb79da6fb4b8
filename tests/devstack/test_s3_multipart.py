"""devstack/s3_multipart.py completes a multipart upload exactly as moto as shipped does (object, ETag,
checksums, errors), without joining the parts in memory: each scenario runs against both."""

from __future__ import annotations

import os

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.s3.models import FakeMultipart

from devstack import fast_dynamodb

MIB = 1024 * 1024
PARTS = [os.urandom(5 * MIB + 17), os.urandom(5 * MIB + 3), b"last line\r\n" * 300]


def _play(patched: bool, upload: dict, parts: list[bytes], listed=None) -> dict:
    """One upload from start to a read of the object (or the error) with moto as shipped or patched."""
    if patched:
        assert fast_dynamodb.install()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name="eu-west-1")
            s3.create_bucket(Bucket="reports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
            started = s3.create_multipart_upload(Bucket="reports", Key="r.csv", ContentType="text/csv", **upload)
            etags = [s3.upload_part(Bucket="reports", Key="r.csv", UploadId=started["UploadId"], PartNumber=n, Body=data)["ETag"]
                     for n, data in enumerate(parts, 1)]
            listed = listed or [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, 1)]
            try:
                done = s3.complete_multipart_upload(Bucket="reports", Key="r.csv", UploadId=started["UploadId"],
                                                    MultipartUpload={"Parts": listed})
            except ClientError as exc:
                pending = s3.list_multipart_uploads(Bucket="reports").get("Uploads", [])
                return {"error": exc.response["Error"], "pending": len(pending)}
            head = s3.head_object(Bucket="reports", Key="r.csv", ChecksumMode="ENABLED")
            got = s3.get_object(Bucket="reports", Key="r.csv", ChecksumMode="ENABLED")
            return {
                "done": {k: v for k, v in done.items() if k != "ResponseMetadata"},
                "head": {k: v for k, v in head.items() if k not in ("ResponseMetadata", "LastModified")},
                "body": got["Body"].read(),
                "listed": len(s3.list_objects_v2(Bucket="reports")["Contents"]),
            }
    finally:
        if patched:
            fast_dynamodb.uninstall()


@pytest.mark.parametrize("upload", [
    {},  # the report job's upload: moto's default CRC64NVME whole-object checksum
    {"ChecksumAlgorithm": "CRC32"},
    {"ChecksumAlgorithm": "CRC32", "ChecksumType": "FULL_OBJECT"},
    {"ChecksumAlgorithm": "SHA1"},
    {"ChecksumAlgorithm": "SHA256"},
    {"ChecksumAlgorithm": "CRC32C", "ChecksumType": "FULL_OBJECT"},  # not continued part by part: moto's path
], ids=["default", "crc32", "crc32-full", "sha1", "sha256", "crc32c-full"])
def test_a_completed_upload_is_what_moto_as_shipped_stores(upload):
    shipped, patched = _play(False, upload, PARTS), _play(True, upload, PARTS)
    assert patched["body"] == b"".join(PARTS)
    assert patched == shipped
    assert patched["done"]["ETag"].endswith('-3"')


@pytest.mark.parametrize(("parts", "listed"), [
    (PARTS, [{"PartNumber": 1, "ETag": '"0123456789abcdef0123456789abcdef"'}]),  # InvalidPart
    (PARTS, [{"PartNumber": 1, "ETag": "x"}, {"PartNumber": 5, "ETag": "y"}]),  # part 5 never sent
    ([b"small", *PARTS], None),  # EntityTooSmall: a part before the last under 5 MiB
], ids=["wrong-etag", "missing-part", "too-small"])
def test_a_refused_completion_answers_moto_s_error_and_keeps_the_upload(parts, listed):
    shipped, patched = _play(False, {}, parts, listed), _play(True, {}, parts, listed)
    assert patched == shipped
    assert patched["pending"] == 1


def test_the_patched_completion_never_joins_the_parts_in_memory(monkeypatch):
    def joined(*_args, **_kwargs):
        raise AssertionError("FakeMultipart.complete joins every part in memory")

    monkeypatch.setattr(FakeMultipart, "complete", joined)
    assert _play(True, {}, PARTS)["body"] == b"".join(PARTS)
