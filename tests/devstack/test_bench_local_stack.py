"""`python -m bench.local_stack --smoke` runs end to end (a broken benchmark fails `make test`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_smoke_mode_connects_boots_and_heartbeats_all_its_chargers():
    # When
    run = subprocess.run(
        [sys.executable, "-m", "bench.local_stack", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=240
    )

    # Then: every row printed, every charger through, the stack stopped by SIGTERM
    out = run.stdout
    assert run.returncode == 0, run.stderr[-3000:]
    for row in ("connect rate", "refused 503 (retried)", "Heartbeat p95", "RSS before (stack / moto)", "RSS after"):
        assert row in out, out
    assert re.search(r"CPU per charger connect\+boot\s+\d+ / \d+ / \d+ ms", out), out
    assert re.search(r"load average 1/5/15 min at start\s+[\d.]+ / [\d.]+ / [\d.]+", out), out
    assert re.search(r"chargers connected\s+20 / 20", out), out
    # "connected" is the upgrade accepted ($connect answered); the Boot's own figure is printed beside it
    assert re.search(r"all connected after\s+[\d.]+ s \(every upgrade accepted", out), out
    assert re.search(r"all Boots Accepted after\s+[\d.]+ s", out), out
    assert re.search(r"charger WebSocket client\s+light", out), out
    # charger 0's Boot and Heartbeat answers went through the ocpp library's OCPP 1.6 schemas
    assert re.search(r"answers checked by ocpp 1.6 schemas\s+2 valid, 0 invalid", out), out
    assert re.search(r"drops \(failed connects\)\s+0", out), out
    assert re.search(r"heartbeats sent / answered\s+20 / 20", out), out
    assert re.search(r"target burst: 20 connected within 10 s, none dropped, .*: (PASS|FAIL)", out), out
    assert re.search(r"stopped by SIGTERM in [\d.]+ s \(exit 0\)", out), out
