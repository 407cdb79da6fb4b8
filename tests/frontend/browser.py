"""What the browser tests share: logging in, calling the API, axe-core (from frontend/node_modules) run inside
the page (WCAG A and AA violations as text lines), and screenshots for docs/screenshots/."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

from devstack.browser import FRONTEND

AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    if not AXE.is_file():
        raise AssertionError("axe-core is not installed: run `make frontend` (npm ci in frontend/)")
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


def log_in(page, stack, username: str, password: str) -> None:
    page.goto(stack.url + "/")
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="LOG IN").click()


def api(stack, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    request = urllib.request.Request(stack.url + path, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the test's own stack)
        return json.loads(answer.read() or b"{}")


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)


def screenshot(page, name: str) -> None:
    """Save the page as docs/screenshots/<name>.png when CSMS_SCREENSHOTS names that folder
    (`tools/frontend_screenshots.py`); in a plain test run nothing is written."""
    folder = os.environ.get("CSMS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(300)  # transitions and fonts settle
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
