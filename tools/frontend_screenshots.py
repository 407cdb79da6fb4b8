"""Screenshots of the web frontend's views into docs/screenshots/: the browser tests (tests/frontend, Debian's
chromium against the local stack) run with CSMS_SCREENSHOTS set, and each test saves the views it has just
checked, with the data it made (`tests/frontend/browser.py: screenshot`).

    .venv/bin/python tools/frontend_screenshots.py     # after `make frontend`
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    env = {**os.environ, "CSMS_SCREENSHOTS": str(OUT)}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/frontend"], cwd=ROOT, env=env)
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(ROOT))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
