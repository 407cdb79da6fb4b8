"""Debian's chromium driven by Playwright (never a downloaded browser build), and axe-core in the page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str:
    """The system chromium; missing, it is an error to fix (`make system-deps`), never a skip."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("chromium is not installed: run `make system-deps` (apt-get install chromium)")


def require_build() -> None:
    if not (FRONTEND / "dist" / "index.html").is_file():
        raise AssertionError("frontend/dist is not built: run `make frontend` (npm ci && npm run build)")
    if not AXE.is_file():
        raise AssertionError("axe-core is not installed: run `make frontend` (npm ci in frontend/)")


def axe_violations(page) -> list[str]:
    """WCAG 2.0/2.1 A and AA rule violations on the page as it is now, one line per rule and node."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {json.dumps(node['target'])}: {node.get('failureSummary', '')}"
        for v in result["violations"]
        for node in v["nodes"]
    ]
