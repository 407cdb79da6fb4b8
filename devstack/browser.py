"""Debian's chromium and the built frontend, as the browser tests and the frontend benchmark need them
(Playwright drives the system chromium through `executable_path`; no browser build is ever downloaded)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
DIST = FRONTEND / "dist"
CHROMIUM_NAMES = ("chromium", "chromium-browser")

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


def chromium_path() -> str:
    """The system chromium; missing, it is an error to fix (`make browser-deps`), never a skip."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("chromium is not installed: run `make browser-deps` (apt-get install chromium)")


def require_build() -> None:
    if not (DIST / "index.html").is_file():
        raise AssertionError("frontend/dist is not built: run `make frontend` (npm ci && npm run build in frontend/)")


def launch(playwright):
    """Headless chromium (no sandbox: CI runs as root)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
