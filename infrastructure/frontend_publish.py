"""The built web frontend (frontend/dist) into the stage's frontend bucket, then CloudFront told to fetch it.

    python -m infrastructure.frontend_publish --bucket <FrontendBucketName> [--distribution <DistributionId>]

`make infra` runs it after the stack is deployed (infra.py). Order matters for operators with the app
open: the hashed assets go first and the old ones stay (a tab opened before the upload still loads its
lazy chunks), index.html goes last. Hashed files are cached for a year (their name changes with their
content); index.html is revalidated on every load, so a new build is seen at the next reload. A file
whose bytes the bucket already holds (same MD5 as its ETag) is not uploaded again. Old assets are
removed only with --prune-days N, once older than N days.
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"
ENTRY = "index.html"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml",
         ".json": "application/json", ".woff2": "font/woff2", ".png": "image/png", ".ico": "image/x-icon"}


@dataclass
class Published:
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    invalidation: str | None = None


def content_type(path: Path) -> str:
    known = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{known}; charset=utf-8" if known.startswith("text/") or known == "application/json" else known


def files(dist: Path) -> list[tuple[str, Path]]:
    """(key, file), hashed assets first and the entry page last."""
    if not (dist / ENTRY).is_file():
        raise SystemExit(f"{dist / ENTRY} is missing: build the frontend first (`make frontend`)")
    found = sorted((p.relative_to(dist).as_posix(), p) for p in dist.rglob("*") if p.is_file())
    return sorted(found, key=lambda pair: pair[0] == ENTRY)


def publish(s3, bucket: str, dist: Path | None = None, *, cloudfront=None, distribution: str | None = None,
            prune_days: int | None = None, now: datetime | None = None) -> Published:
    dist = dist or DIST
    done = Published()
    held = _held(s3, bucket)
    for key, path in files(dist):
        body = path.read_bytes()
        if held.get(key, (None,))[0] == hashlib.md5(body, usedforsecurity=False).hexdigest():
            done.unchanged.append(key)
            continue
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type(path),
                      CacheControl=REVALIDATE if key == ENTRY else IMMUTABLE)
        done.uploaded.append(key)
    if prune_days is not None:
        current = {key for key, _ in files(dist)}
        cutoff = (now or datetime.now(UTC)) - timedelta(days=prune_days)
        stale = [key for key, (_, modified) in held.items() if key not in current and modified < cutoff]
        for key in stale:
            s3.delete_object(Bucket=bucket, Key=key)
        done.pruned = stale
    if cloudfront is not None and distribution and done.uploaded:
        answer = cloudfront.create_invalidation(
            DistributionId=distribution,
            InvalidationBatch={"Paths": {"Quantity": 2, "Items": ["/", f"/{ENTRY}"]},
                               "CallerReference": f"frontend-{time.time_ns()}"},
        )
        done.invalidation = answer["Invalidation"]["Id"]
    return done


def _held(s3, bucket: str) -> dict[str, tuple[str, datetime]]:
    """What the bucket holds: key -> (MD5 from the ETag of a single-part upload, last modified)."""
    held = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            held[item["Key"]] = (item["ETag"].strip('"'), item["LastModified"])
    return held


def report(done: Published) -> str:
    lines = [f"frontend: {len(done.uploaded)} files uploaded, {len(done.unchanged)} unchanged"]
    if done.pruned:
        lines.append(f"frontend: {len(done.pruned)} old files removed")
    if done.invalidation:
        lines.append(f"frontend: CloudFront invalidation {done.invalidation} for / and /{ENTRY}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--distribution", default=None)
    parser.add_argument("--dist", default=None, type=Path)
    parser.add_argument("--prune-days", default=None, type=int)
    args = parser.parse_args(argv)
    done = publish(boto3.client("s3"), args.bucket, args.dist, cloudfront=boto3.client("cloudfront"),
                   distribution=args.distribution, prune_days=args.prune_days)
    print(report(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
