"""The cost model: its arithmetic on hand-made figures, and one quick measured run as printed."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bench import _env, cost_model
from bench.cost_measure import Figures, units

ZERO = Figures(0.0, 0.0, 0, 0.0, 0.0)


def test_heartbeat_only_profile_costs_what_the_price_list_says():
    figures = {name: ZERO for name in ("Heartbeat", "MeterValues", *cost_model.PER_SESSION, *cost_model.PER_RECONNECT)}
    figures["Heartbeat"] = Figures(0.5, 1.0, 1, 6.0, 700.0)
    profile = cost_model.Profile(heartbeat_s=300, sessions_per_day=0, charging_hours=0, reconnects_per_day=0)
    cost = cost_model.cost_per_charger(figures, profile, round_trip_ms=4)
    beats = 30.4 * 86400 / 300  # 8,755.2
    gb_s = 10 / 1000 * 1024 / 1024  # 6 ms + one 4 ms call, websocket_message has 1024 MB
    assert cost["Lambda"] == pytest.approx(beats * (gb_s * 0.0000166667 + 0.2e-6))
    assert cost["DynamoDB"] == pytest.approx(beats * (0.5 * 0.125e-6 + 1.0 * 0.625e-6))
    minutes = 30.4 * 24 * 60
    assert cost["API Gateway WebSocket"] == pytest.approx(beats * 2e-6 + minutes * 0.25e-6)
    assert cost["CloudWatch Logs"] == pytest.approx(beats * (300 + 700) / 1e9 * 0.50)


def test_units_follow_dynamodbs_rounding():
    small = {"pk": {"S": "x"}}
    big = {"blob": {"S": "y" * 5000}}
    assert units("GetItem", {"ConsistentRead": True}, {"Item": big}) == (2, 0)
    assert units("GetItem", {}, {"Item": small}) == (0.5, 0)
    assert units("PutItem", {"Item": big}, {}) == (0, 5)
    transact = {"TransactItems": [{"Put": {"Item": small}}, {"Update": {"Key": small}}]}
    assert units("TransactWriteItems", transact, {}) == (0, 4)


def test_quick_run_prints_the_table_and_a_verdict_per_fleet():
    # In its own process: the measurement sets a Lambda environment and imports app as a WebSocket function.
    command = [sys.executable, "-m", "bench.cost_model", "--chargers", "100", "100000", "--rounds", "1"]
    done = subprocess.run(command, cwd=_env.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("profile: heartbeat 300 s, 2 sessions and 4 h charging a day, meter values every 60 s")
    heartbeat = re.search(r"^Heartbeat\s+8,755\s+0\.0\s+0\.0\s+1\s+[\d.]+$", out, re.MULTILINE)
    assert heartbeat, out  # a warm Heartbeat: no DynamoDB units, one call (the answer)
    rows = re.findall(r"^\s+([\d,]+)\s+([\d.]+)\s+([\d,.]+)\s+(PASS|FAIL)$", out, re.MULTILINE)
    assert [r[0] for r in rows] == ["100", "100,000"]
    small, large = (float(r[1]) for r in rows)
    assert small > large > 0.01  # fixed costs spread thinner over a bigger fleet
    assert (rows[1][3] == "PASS") == (large <= cost_model.TARGET)
