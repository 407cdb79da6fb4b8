"""Every bench command in its --smoke mode, as a subprocess: a broken benchmark fails CI, not its next user."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(name: str, timeout: float = 240) -> str:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"bench.{name} --smoke exited {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_frame_fuzz_smoke_counts_answers_and_passes():
    out = run_bench("frame_fuzz")
    assert "200 frames in" in out
    for line in ("CALLRESULT", "CALLERROR FormationViolation", "InternalError", "gateway error", "disconnect"):
        assert line in out, out
    assert out.rstrip().splitlines()[-1].startswith("PASS"), out
