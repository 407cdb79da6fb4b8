"""Monthly AWS cost per charger at list prices, from measured per-message figures and a fleet profile.

    python -m bench.cost_model [--chargers 100 10000 100000] [--heartbeat 300] [--sessions 2]
                               [--charging-hours 4] [--meter-interval 60] [--round-trip-ms 4]

The per-message figures (DynamoDB read/write units, AWS calls, handler ms) are measured now by
bench.cost_measure on moto; the Lambda memory comes from .chalice/config.json. What cannot be
measured without AWS is an assumption with a flag: the in-region round trip of each AWS call
(--round-trip-ms) and the bytes the Lambda runtime logs per invocation (START/END/REPORT).
Prices: us-east-1 list prices, on-demand, no free tier (PRICES below; change them for your region).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass

from bench import _env

DAYS = 30.4
TARGET = 0.06  # USD per charger-month at 300 s heartbeats, 4 h charging a day, 60 s meter values
PRICES = {
    "lambda_gb_second": 0.0000166667,  # x86
    "lambda_request": 0.20 / 1e6,
    "ws_message": 1.00 / 1e6,  # per 32 KB message, first billion
    "ws_connection_minute": 0.25 / 1e6,
    "dynamodb_rru": 0.125 / 1e6,
    "dynamodb_wru": 0.625 / 1e6,
    "logs_gb": 0.50,
    "alarm": 0.10,
    "xray_trace": 5.00 / 1e6,  # traces recorded, beyond the free 100,000 a month (not counted here)
}
RUNTIME_LOG_BYTES = 300  # START, END and REPORT lines of one invocation
FIXED_ALARMS = 15  # three per function (infrastructure/build.py alarms())
# Messages per charging session besides the meter values, and per daily reconnect.
PER_SESSION = {"Authorize": 1, "StartTransaction": 1, "StopTransaction": 1, "StatusNotification": 4}
PER_RECONNECT = {"$connect": 1, "BootNotification": 1, "StatusNotification": 2, "$disconnect": 1}


@dataclass(frozen=True)
class Profile:
    heartbeat_s: int = 300
    sessions_per_day: float = 2
    charging_hours: float = 4
    meter_interval_s: int = 60
    reconnects_per_day: float = 1


def monthly_messages(p: Profile) -> dict[str, float]:
    counts = {
        "Heartbeat": DAYS * 86400 / p.heartbeat_s,
        "MeterValues": DAYS * p.charging_hours * 3600 / p.meter_interval_s,
    }
    for per_day, mix in ((p.sessions_per_day, PER_SESSION), (p.reconnects_per_day, PER_RECONNECT)):
        for name, n in mix.items():
            counts[name] = counts.get(name, 0) + DAYS * per_day * n
    return counts


def memory_mb(function: str) -> int:
    config = json.loads((_env.ROOT / ".chalice" / "config.json").read_text())
    return int(config.get("lambda_functions", {}).get(function, {}).get("lambda_memory_size", config["lambda_memory_size"]))


def _function_of(message: str) -> str:
    return {"$connect": "websocket_connect", "$disconnect": "websocket_disconnect"}.get(message, "websocket_message")


def cost_per_charger(figures: dict, profile: Profile, round_trip_ms: float) -> dict[str, float]:
    """USD per charger-month by item."""
    cost = {"Lambda": 0.0, "API Gateway WebSocket": 0.0, "DynamoDB": 0.0, "CloudWatch Logs": 0.0}
    for name, count in monthly_messages(profile).items():
        f = figures[name]
        billed_ms = math.ceil(f.handler_ms + f.calls * round_trip_ms)
        gb_s = billed_ms / 1000 * memory_mb(_function_of(name)) / 1024
        cost["Lambda"] += count * (gb_s * PRICES["lambda_gb_second"] + PRICES["lambda_request"])
        if not name.startswith("$"):
            cost["API Gateway WebSocket"] += count * 2 * PRICES["ws_message"]  # the frame and its answer
        cost["DynamoDB"] += count * (f.rru * PRICES["dynamodb_rru"] + f.wru * PRICES["dynamodb_wru"])
        cost["CloudWatch Logs"] += count * (RUNTIME_LOG_BYTES + f.log_bytes) / 1e9 * PRICES["logs_gb"]
    cost["API Gateway WebSocket"] += DAYS * 24 * 60 * PRICES["ws_connection_minute"]
    return cost


def fixed_per_month() -> float:
    """Costs that do not grow with the fleet: the alarms, and the minute tick (512 MB, ~50 ms, traced in
    X-Ray: one trace a minute). REST calls are operators' clicks, not the fleet's: not in the model."""
    ticks = DAYS * 24 * 60
    tick = ticks * (0.05 * memory_mb("every_minute") / 1024 * PRICES["lambda_gb_second"] + PRICES["lambda_request"])
    return FIXED_ALARMS * PRICES["alarm"] + tick + ticks * PRICES["xray_trace"]


def report(figures: dict, profile: Profile, fleets: list[int], round_trip_ms: float) -> list[str]:
    per = cost_per_charger(figures, profile, round_trip_ms)
    variable = sum(per.values())
    lines = [
        f"profile: heartbeat {profile.heartbeat_s} s, {profile.sessions_per_day:g} sessions and "
        f"{profile.charging_hours:g} h charging a day, meter values every {profile.meter_interval_s} s, "
        f"{profile.reconnects_per_day:g} reconnect a day; AWS calls {round_trip_ms:g} ms each",
        f"{'message':<20}{'per month':>10}{'RRU':>6}{'WRU':>6}{'calls':>6}{'handler ms':>11}",
    ]
    for name, count in sorted(monthly_messages(profile).items(), key=lambda kv: -kv[1]):
        f = figures[name]
        lines.append(f"{name:<20}{count:>10,.0f}{f.rru:>6.1f}{f.wru:>6.1f}{f.calls:>6}{f.handler_ms:>11.1f}")
    lines.append("per charger-month: " + ", ".join(f"{k} ${v:.4f}" for k, v in per.items()))
    lines.append(f"{'chargers':>10}{'USD per charger-month':>24}{'USD per month':>16}  target <= ${TARGET}")
    for n in fleets:
        each = variable + fixed_per_month() / n
        verdict = "PASS" if each <= TARGET else "FAIL"
        lines.append(f"{n:>10,}{each:>24.4f}{each * n:>16,.2f}  {verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chargers", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--heartbeat", type=int, default=300, help="seconds")
    parser.add_argument("--sessions", type=float, default=2, help="charging sessions per day")
    parser.add_argument("--charging-hours", type=float, default=4)
    parser.add_argument("--meter-interval", type=int, default=60, help="seconds")
    parser.add_argument("--round-trip-ms", type=float, default=4.0, help="assumed in-region latency of an AWS call")
    parser.add_argument("--rounds", type=int, default=3, help="measured sessions (1..5)")
    args = parser.parse_args(argv)
    from bench.cost_measure import measure

    profile = Profile(args.heartbeat, args.sessions, args.charging_hours, args.meter_interval)
    for line in report(measure(max(1, min(args.rounds, 5))), profile, args.chargers, args.round_trip_ms):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
