"""Every bench command in its --smoke mode, as a subprocess: a broken benchmark fails CI, not its next user."""

from __future__ import annotations

import re
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
    assert any(line.startswith("PASS") for line in out.splitlines()), out


def test_handler_cpu_smoke_prints_its_table():
    out = run_bench("handler_cpu")
    for action in ("Heartbeat", "StatusNotification", "MeterValues"):
        assert any(line.startswith(action) and "µs" not in line for line in out.splitlines()), out
    assert "overall: " in out


def test_dynamodb_requests_smoke_prints_its_table():
    out = run_bench("dynamodb_requests")
    assert "DynamoDB requests per message" in out
    assert any(line.startswith("StopTransaction replay") for line in out.splitlines()), out
    # $connect: claim GetItem, station + live record in one BatchGetItem, take-over, transaction
    assert re.search(r"^\$connect +cold +4 +4 .* ≤4 +PASS", out, re.M), out
    assert "overall (cold rows against targets): " in out


def test_cold_import_smoke_prints_its_table():
    out = run_bench("cold_import")
    assert "import app costs" in out and "-X importtime, top 15" in out
    assert "= import to first answer sent" in out


def test_api_dashboard_smoke_prints_its_table():
    out = run_bench("api_dashboard")
    assert "seeded 100 stations" in out
    assert any(line.strip().startswith("1,000 ") for line in out.splitlines()), out
    assert "the dashboard counts the sessions of its 30 days" in out


def test_command_roundtrip_smoke_prints_latency_and_requests():
    out = run_bench("command_roundtrip")
    assert "10 chargers connected and booted" in out
    assert "outcomes: 202 Answered: 30" in out, out
    assert "round trip ms: p50 " in out and "DynamoDB requests per command: " in out
    assert any(line.strip().startswith("PutItem commands") for line in out.splitlines()), out


def test_report_export_smoke_prints_its_table():
    out = run_bench("report_export")
    assert "seeded 2,000 sessions over 100 stations" in out
    assert "report export through the local stack" in out
    assert any(line.strip().startswith("2,000 rows") and "Heartbeat p95" in line for line in out.splitlines()), out
    assert "RSS growth during an export" in out


def test_frontend_smoke_prints_script_size_and_first_paint():
    out = run_bench("frontend")
    assert re.search(r"^log-in page JavaScript: \d+ file\(s\) \S+\.js", out, re.M), out
    assert "KB gzipped (target ≤ 200 KB): " in out
    assert "dashboard first paint after the log-in answer (demo data): p50 " in out


def test_scheduled_tasks_smoke_runs_every_due_task_once_without_a_scan():
    out = run_bench("scheduled_tasks")
    assert "seeded 1,000 tasks (20 due)" in out
    assert "tick with 20 due of 1,000: " in out and "20 runs Deferred" in out, out
    assert "Scan 0" in out and "idle tick (nothing due)" in out
    assert any(line.startswith("PASS") for line in out.splitlines()), out


def test_moto_requests_smoke_prints_moto_cpu_per_operation_on_both_paths():
    out = run_bench("moto_requests")
    assert "moto CPU per DynamoDB request, ms (20 each, 100 items, load average " in out
    assert "direct path: stats" in out and "WSGI path: stats" in out
    number = r" +\d+\.\d{3}"
    for operation in ("GetItem", "UpdateItem", "Query", "TransactWriteItems", "UpdateItem (condition fails)"):
        assert re.search(rf"^  {re.escape(operation)}{number * 6} +\d+\.\d\d$", out, re.M), operation


def test_client_cpu_smoke_prints_each_variant_per_operation():
    out = run_bench("client_cpu")
    wire, _, replayed = out.partition("without the wire")

    def rows(text: str) -> dict[str, list[str]]:
        # a row ends in a figure; a saving can be negative under load ("-2.6%")
        return {line.split()[0]: line.split() for line in text.splitlines()
                if line.split() and line.split()[-1].lstrip("-")[:1].isdigit()}

    for operation in ("GetItem", "UpdateItem", "Query", "TransactWriteItems"):
        assert all(float(cpu) > 0 for cpu in rows(wire)[operation][1:4]), out  # CPU ms: botocore, chalicelib, devstack
        assert all(float(cpu) > 0 for cpu in rows(replayed)[operation][1:3]), out  # CPU ms: botocore, chalicelib
