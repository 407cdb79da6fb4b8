"""Firmware files: admins upload them straight to the firmware bucket with a presigned form, then list them.

A file is recorded before its upload (name, version, size, who, vendor/model when given) and becomes
Ready when the bucket holds an object of exactly that size; only Ready files can be sent to stations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, Invalid, NotFound
from chalicelib.domain.ids import new_id
from chalicelib.ports.files import PresignedPost
from chalicelib.ports.firmware import FirmwareFile
from chalicelib.ports.registry import store

# The upload form is used at once from the operator's browser: a quarter of an hour is plenty.
UPLOAD_FORM_SECONDS = 15 * 60
MAX_FILE_BYTES = 1024**3  # 1 GiB: far above any charger image, below S3's single-POST limit (5 GB)
FILE_MISSING = "Firmware file not found."
NOT_UPLOADED = "The firmware file has not been uploaded yet."
SIZE_MISMATCH = "The uploaded firmware file is {actual} bytes, not the {declared} bytes declared."
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    file: FirmwareFile
    form: PresignedPost
    expires_in: int


def start_upload(principal: Principal, name: str, version: str, size: int, vendor: str | None, model: str | None, now: datetime) -> Upload:
    """Record the file (Awaiting upload) and hand back the form that uploads exactly `size` bytes."""
    if not 0 < size <= MAX_FILE_BYTES:
        raise Invalid(f"The firmware file size must be between 1 byte and {MAX_FILE_BYTES} bytes.")
    file_id = new_id()
    key = f"firmware/{principal.org_id}/{file_id}/{_UNSAFE.sub('_', name)[:100]}"
    file = FirmwareFile(principal.org_id, file_id, name, version, size, key, principal.username, now, vendor, model)
    saved = store().firmware.save_file(file)
    return Upload(saved, store().files.upload_form(key, size, UPLOAD_FORM_SECONDS), UPLOAD_FORM_SECONDS)


def complete_upload(principal: Principal, file_id: str, now: datetime) -> FirmwareFile:
    """Ready once the bucket holds the object with the declared size; an error text otherwise."""
    file = get(principal, file_id)
    if file.state == "Ready":
        return file
    actual = store().files.size(file.key)
    if actual is None:
        raise Conflict(NOT_UPLOADED)
    if actual != file.size:
        raise Conflict(SIZE_MISMATCH.format(actual=actual, declared=file.size))
    return store().firmware.save_file(replace(file, state="Ready", uploaded_at=now))


def get(principal: Principal, file_id: str) -> FirmwareFile:
    found = store().firmware.get_file(principal.org_id, file_id) if file_id else None
    if found is None:
        raise NotFound(FILE_MISSING)
    return found


def ready(principal: Principal, file_id: str) -> FirmwareFile:
    """A file that can be sent to stations."""
    file = get(principal, file_id)
    if file.state != "Ready":
        raise Conflict(NOT_UPLOADED)
    return file


def listing(principal: Principal) -> list[FirmwareFile]:
    """The organization's firmware files, newest first."""
    return sorted(store().firmware.files(principal.org_id), key=lambda f: f.created_at, reverse=True)
