"""The built web frontend (frontend/dist) on the REST port: every path outside /api/ is a file of it.

CloudFront does the same in AWS (the default behaviour reads the S3 bucket, /api/* goes to the REST API).
Routes are in the URL's fragment (`/#/activate?token=...`), so only `/` and the built assets are asked for.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DIST_DIR = Path(__file__).resolve().parent.parent / "frontend" / "dist"
API_PREFIX = "/api/"
NOT_BUILT = (
    "The web frontend is not built: `make run` builds it (or `npm ci && npm run build` in frontend/).\n"
    "The REST API is under /api/v1.\n"
)
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
          ".svg": "image/svg+xml", ".json": "application/json", ".woff2": "font/woff2"}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    cache_control: str


def is_frontend(raw_path: str) -> bool:
    path = urlsplit(raw_path).path
    return not (path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/"))


def answer(raw_path: str, dist: Path = DIST_DIR) -> Answer:
    """The file for a GET of `raw_path`: index.html for `/`, 404 for what is not in dist/ (or outside it)."""
    if not (dist / "index.html").is_file():
        return Answer(404, "text/plain; charset=utf-8", NOT_BUILT.encode(), "no-store")
    relative = unquote(urlsplit(raw_path).path).lstrip("/") or "index.html"
    root = dist.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return Answer(404, "text/plain; charset=utf-8", b"Not found.\n", "no-store")
    content_type = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    # Built assets carry a content hash in their names: cache them for good; index.html never.
    immutable = target.parent.name == "assets" and target.parent.parent == root
    cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
    return Answer(200, content_type, target.read_bytes(), cache)
