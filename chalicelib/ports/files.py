"""The files port: objects in the firmware bucket, reached by operators and chargers through presigned URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PresignedPost:
    """An HTML-form upload: POST multipart/form-data to `url` with `fields` first, then the file as `file`."""

    url: str
    fields: dict[str, str]


class Files(Protocol):
    def upload_form(self, key: str, size: int, expires_s: int) -> PresignedPost:
        """A POST form accepting exactly `size` bytes at `key` until it expires."""

    def upload_url(self, key: str, expires_s: int) -> str:
        """A URL that takes one HTTP PUT of the object at `key` (chargers' diagnostics)."""

    def download_url(self, key: str, expires_s: int, file_name: str | None = None) -> str:
        """A URL that serves the object with GET (named `file_name` when saved by a browser)."""

    def size(self, key: str) -> int | None:
        """The object's size in bytes; None when there is no object at `key`."""
