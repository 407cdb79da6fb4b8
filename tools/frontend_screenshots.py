"""Screenshots of the web frontend's main views into docs/screenshots/ (demo data, Debian's chromium).

    .venv/bin/python tools/frontend_screenshots.py     # after `make frontend`
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devstack.browser import launch, require_build  # noqa: E402
from devstack.process import StackProcess  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    require_build()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, StackProcess(Path(tmp), log_level="WARNING") as stack, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(stack.url + "/")
        page.get_by_role("button", name="LOG IN").wait_for()
        shoot(page, "log-in")
        page.get_by_label("Username:").fill("acme-admin")
        page.get_by_label("Password:").fill(stack.credentials()["acme-admin"])
        page.get_by_role("button", name="LOG IN").click()
        page.locator("[data-testid=consumption] svg").wait_for()
        page.get_by_role("img", name="Charging point 1: Offline").first.wait_for()
        shoot(page, "dashboard", full=True)
        for path, name, ready in (("/stations", "charging-stations", "EVI00000018"), ("/account", "my-account", "Change password")):
            page.goto(f"{stack.url}/#{path}")
            page.get_by_text(ready).first.wait_for()
            shoot(page, name)
        browser.close()
    return 0


def shoot(page, name: str, full: bool = False) -> None:
    page.wait_for_timeout(300)  # transitions and fonts settle
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
    print(f"docs/screenshots/{name}.png")


if __name__ == "__main__":
    sys.exit(main())
