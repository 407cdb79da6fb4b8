"""CompleteMultipartUpload in the local stack's moto without the object in memory: parts joined into a file.

moto 5.2.5 completes an upload by joining every part's bytes into a bytearray, copying it into bytes, and
(for a whole-object checksum, the default CRC64NVME) joining them once more for the checksum: a 107 MB
report took about 410 MB of moto's RSS at that request, for an object that then lives in a spooled
temporary file (on disk above moto's 5 MiB key buffer). Here the parts, themselves spooled files, are
copied one after the other into the new key's spooled file and every figure moto derives from them is
computed as they pass: the ETag (MD5 of the parts' MD5s, "-<count>"), the composite checksum (one per
part) or the whole-object checksum (updated part by part, for the algorithms whose function can be
continued: CRC32, CRC64NVME when moto falls back to CRC32 without awscrt, SHA1, SHA256). The same
checks, in the same order, raise the same errors (InvalidPart, EntityTooSmall, MalformedXML); what follows
(put_object, metadata, checksum fields, tagging, ACL, notifications) is moto's own code in moto's order.
An upload whose whole-object checksum cannot be continued (CRC32C, CRC64NVME with awscrt) is completed by
moto as shipped.

Patched by devstack.fast_dynamodb's install (with the DynamoDB paths) while the embedded moto serves;
equivalence against moto as shipped: tests/devstack/test_s3_multipart.py.
"""

from __future__ import annotations

import binascii
import hashlib
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from moto.s3 import models as s3_models
from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
from moto.s3.models import S3_UPLOAD_PART_MIN_SIZE, FakeKey, FakeMultipart, S3Backend, get_s3_default_key_buffer_size
from moto.s3.utils import HAS_CRT, compute_checksum

COPY_CHUNK = 1024 * 1024


class _Unchained(Exception):
    """This upload's whole-object checksum cannot be computed part by part: moto's own path completes it."""


class _Crc32:
    def __init__(self) -> None:
        self.value = 0

    def update(self, data: bytes) -> None:
        self.value = binascii.crc32(data, self.value)

    def digest(self) -> bytes:
        return self.value.to_bytes(4, "big")


def _whole_object_hash(algorithm: str) -> Any:
    """A hash object updated part by part giving what moto's compute_checksum gives for the whole object."""
    if algorithm == "CRC32" or (algorithm == "CRC64NVME" and not HAS_CRT):
        return _Crc32()
    if algorithm == "SHA1":
        return hashlib.sha1(usedforsecurity=False)
    if algorithm in ("CRC32C", "CRC64NVME"):
        raise _Unchained
    return hashlib.sha256(usedforsecurity=False)  # compute_checksum's default branch


class _Checksums:
    """moto's MultipartChecksumBuilder, fed part by part instead of from one joined copy."""

    def __init__(self, algorithm: str | None, kind: str | None) -> None:
        self.algorithm = algorithm or "CRC64NVME"
        self.kind = kind or ("FULL_OBJECT" if self.algorithm == "CRC64NVME" else "COMPOSITE")
        self.composite = bytearray()
        self.whole = None if self.kind == "COMPOSITE" else _whole_object_hash(self.algorithm)
        self.parts = 0

    def add(self, chunks: Callable[[], Iterator[bytes]]) -> None:
        if self.whole is None:
            self.composite.extend(compute_checksum(b"".join(chunks()), self.algorithm, encode_base64=False))
        else:
            for chunk in chunks():
                self.whole.update(chunk)
        self.parts += 1

    def build(self) -> tuple[str, str, int]:
        if self.whole is None:
            return self.kind, compute_checksum(bytes(self.composite), self.algorithm).decode(), self.parts
        return self.kind, binascii.b2a_base64(self.whole.digest(), newline=False).decode(), 1


def _chunks(part: FakeKey) -> Callable[[], Iterator[bytes]]:
    def read() -> Iterator[bytes]:
        with part.lock:
            buffer = part._value_buffer
            buffer.seek(0)
            while chunk := buffer.read(COPY_CHUNK):
                yield chunk

    return read


def _join(multipart: FakeMultipart, body: Iterator[tuple[int, str]], target: Any) -> tuple[str, tuple]:
    """FakeMultipart.complete's checks and figures, the parts' bytes copied into `target`."""
    metadata = multipart.metadata
    checksums = _Checksums(metadata.get("x-amz-checksum-algorithm"), metadata.get("x-amz-checksum-type"))
    md5s = bytearray()
    last = None
    count = 0
    for number, etag in body:
        part = multipart.parts.get(number)
        if part is None or part.etag.replace('"', "") != etag.replace('"', ""):
            raise InvalidPart()
        if last is not None and last.contentsize < S3_UPLOAD_PART_MIN_SIZE:
            raise EntityTooSmall()
        md5s.extend(bytes.fromhex(part.etag.replace('"', "")))
        for chunk in _chunks(part)():
            target.write(chunk)
        checksums.add(_chunks(part))
        last = part
        count += 1
    if count == 0:
        raise MalformedXML
    return f"{hashlib.md5(bytes(md5s), usedforsecurity=False).hexdigest()}-{count}", checksums.build()


def _adopt(key: FakeKey, joined: Any) -> None:
    """The joined file becomes the key's value (what `key.value = <the bytes>` would have stored)."""
    with key.lock:
        old, key._value_buffer = key._value_buffer, joined
        key.contentsize = joined.tell()
    old.close()


def complete_multipart_upload(self: S3Backend, bucket_name: str, multipart_id: str, body: Iterator[tuple[int, str]]) -> FakeKey | None:
    bucket = self.get_bucket(bucket_name)
    multipart = bucket.multiparts[multipart_id]
    joined = tempfile.SpooledTemporaryFile(get_s3_default_key_buffer_size())  # as FakeKey keeps a value
    try:
        etag, checksum_details = _join(multipart, body, joined)
    except _Unchained:
        joined.close()
        return _shipped(self, bucket_name, multipart_id, body)
    except BaseException:
        joined.close()
        raise
    del bucket.multiparts[multipart_id]
    key = self.put_object(bucket_name, multipart.key_name, b"", storage=multipart.storage, etag=etag, multipart=multipart,
                          encryption=multipart.sse_encryption, kms_key_id=multipart.kms_key_id, disable_notification=True)
    _adopt(key, joined)
    # put_object's own notification, sent now that the key holds its bytes (moto sends it from put_object)
    s3_models.notifications.send_event(self.account_id, s3_models.notifications.S3NotificationEvent.OBJECT_CREATED_PUT_EVENT,
                                       bucket, key)
    key.set_metadata(multipart.metadata)
    key.checksum_algorithm = multipart.metadata.get("x-amz-checksum-algorithm")
    key.checksum_type, key.checksum_value, key.checksum_parts = checksum_details
    self.put_object_tagging(key, multipart.tags)
    self.put_object_acl(bucket_name=bucket_name, key_name=key.name, acl=multipart.acl, disable_notification=True)
    s3_models.notifications.send_event(
        self.account_id, s3_models.notifications.S3NotificationEvent.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD_EVENT,
        bucket, bucket.keys.get(multipart.key_name),
    )
    return key


SHIPPED = S3Backend.complete_multipart_upload


def _shipped(self: S3Backend, bucket_name: str, multipart_id: str, body: Iterator[tuple[int, str]]) -> FakeKey | None:
    return SHIPPED(self, bucket_name, multipart_id, body)
