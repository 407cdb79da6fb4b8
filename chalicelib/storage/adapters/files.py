"""The files port on S3: presigned POST, PUT and GET URLs for the firmware bucket (docs/adr/0016).

The URLs are signed by this function's credentials and point at the S3 endpoint of the settings:
in AWS the regional S3 endpoint over HTTPS, locally moto on 127.0.0.1, reachable from the host.
"""

from __future__ import annotations

from chalicelib import aws
from chalicelib.ports.errors import StorageUnavailable
from chalicelib.ports.files import PresignedPost
from chalicelib.settings import get_settings


class S3Files:
    def __init__(self) -> None:
        self.bucket = get_settings().firmware_bucket

    def _client(self):
        # SigV4 (the only signature every region takes), addressed per bucket in the region.
        return aws.client("s3", get_settings().s3_endpoint, signature_version="s3v4")

    def upload_form(self, key: str, size: int, expires_s: int) -> PresignedPost:
        answer = self._client().generate_presigned_post(
            self.bucket, key, Conditions=[["content-length-range", size, size]], ExpiresIn=expires_s
        )
        return PresignedPost(answer["url"], answer["fields"])

    def upload_url(self, key: str, expires_s: int) -> str:
        return self._client().generate_presigned_url(
            "put_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s
        )

    def download_url(self, key: str, expires_s: int, file_name: str | None = None) -> str:
        params = {"Bucket": self.bucket, "Key": key}
        if file_name:
            params["ResponseContentDisposition"] = f'attachment; filename="{_safe(file_name)}"'
        return self._client().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)

    def size(self, key: str) -> int | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return int(self._client().head_object(Bucket=self.bucket, Key=key)["ContentLength"])
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StorageUnavailable(f"S3 HeadObject: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"S3 HeadObject: {exc}") from exc


def _safe(name: str) -> str:
    """A file name fit for a quoted Content-Disposition (no quotes, no control characters)."""
    return "".join(c for c in name if c.isprintable() and c not in '"\\') or "download"


def build() -> S3Files:
    return S3Files()
