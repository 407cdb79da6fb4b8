"""Measured per-message figures for the cost model: DynamoDB units, AWS calls and handler time.

One charger session (tests.support.LambdaCharger into app.py's handlers, moto with the demo seed)
with every botocore call wrapped: the wrapper counts capacity units from the request and answer
sizes (DynamoDB's rounding: reads per 4 KB, half for eventually consistent; writes per 1 KB;
transactions twice) and takes the time spent inside moto out of the handler's time, so what
remains is this code's own CPU (botocore serialization included), warm container.
"""

from __future__ import annotations

import io
import json
import math
import statistics
import time
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field

import botocore.client

from bench import _env


@dataclass
class Figures:
    """Totals for one message type (one frame or one $connect/$disconnect)."""

    rru: float = 0.0
    wru: float = 0.0
    calls: int = 0  # AWS calls a Lambda makes (each costs a network round trip)
    handler_ms: float = 0.0  # median over the frames measured
    log_bytes: float = 0.0  # what the handler printed (EMF metric lines, warnings): CloudWatch Logs ingestion
    samples: list[float] = field(default_factory=list)


def _size(value) -> int:
    """Approximate DynamoDB item size: the JSON of its attribute values (names included)."""
    return len(json.dumps(value, default=str))


def _read_units(items: list, consistent: bool) -> float:
    units = sum(math.ceil(max(_size(i), 1) / 4096) for i in items) or 1
    return units if consistent else units / 2


def _write_units(items: list) -> float:
    return sum(math.ceil(max(_size(i), 1) / 1024) for i in items) or 1


def units(operation: str, params: dict, answer: dict) -> tuple[float, float]:
    """(read units, write units) of one DynamoDB call."""
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return _read_units([answer.get("Item", {})], consistent), 0
    if operation == "Query":
        return _read_units(answer.get("Items", []), consistent), 0
    if operation == "BatchGetItem":
        return sum(_read_units([i], False) for items in answer.get("Responses", {}).values() for i in items), 0
    if operation in ("PutItem", "DeleteItem", "UpdateItem"):
        return 0, _write_units([params.get("Item", params.get("Key"))])
    if operation == "BatchWriteItem":
        requests = [r for rs in params["RequestItems"].values() for r in rs]
        return 0, sum(_write_units([next(iter(r.values())).get("Item", {})]) for r in requests)
    if operation == "TransactWriteItems":
        bodies = [next(iter(i.values())) for i in params["TransactItems"]]
        return 0, 2 * sum(_write_units([b.get("Item", b.get("Key"))]) for b in bodies)
    return 0, 0


@contextmanager
def metered(figures: Figures):
    original = botocore.client.BaseClient._make_api_call
    outside = [0.0]

    def call(client, operation, params):
        started = time.perf_counter()
        answer = original(client, operation, params)
        outside[0] += time.perf_counter() - started
        figures.calls += 1
        if client.meta.service_model.service_name == "dynamodb":
            reads, writes = units(operation, params, answer)
            figures.rru += reads
            figures.wru += writes
        return answer

    botocore.client.BaseClient._make_api_call = call
    printed = io.StringIO()
    started = time.perf_counter()
    try:
        with redirect_stdout(printed):
            yield
    finally:
        figures.log_bytes += len(printed.getvalue().encode())
        botocore.client.BaseClient._make_api_call = original
        figures.samples.append((time.perf_counter() - started - outside[0]) * 1000)


def measure(rounds: int = 3) -> dict[str, Figures]:
    """Average figures per message type over `rounds` sessions of one warm charger."""
    _env.apply()
    from moto import mock_aws

    from chalicelib.observability import logger

    logger.setLevel("WARNING")
    results: dict[str, Figures] = {}
    with mock_aws():
        import app
        from chalicelib.seed import seed_demo
        from chalicelib.storage.base import rebind
        from chalicelib.storage.tables import create_all_tables
        from devstack.handlers import reset_websocket_client

        rebind()
        reset_websocket_client(app)
        create_all_tables()
        seed_demo()
        _session(results, STATIONS[0])  # warm-up: first imports and caches, as in a running container
        results.clear()
        for station in STATIONS[1 : rounds + 1]:
            _session(results, station)
    return {name: _average(f) for name, f in results.items()}


# The demo's stations: each session on its own, so that no frame is a replay of an earlier one.
STATIONS = ("EVI00000013", "EVI00000014", "EVI00000015", "EVI00000016", "EVI00000017", "EVI00000018")


def _session(results: dict[str, Figures], station: str) -> None:
    from tests.support import LambdaCharger

    charger = LambdaCharger(station)

    def step(name: str, action):
        with metered(results.setdefault(name, Figures())):
            return action()

    step("$connect", charger.connect)
    step("BootNotification", lambda: charger.frame("boot_notification"))
    for n in range(3):
        step("Heartbeat", lambda n=n: charger.frame("heartbeat", **{"hb-1": f"hb-{n}"}))
    step("StatusNotification", lambda: charger.frame("status_notification"))
    step("Authorize", lambda: charger.frame("authorize"))
    tx = step("StartTransaction", lambda: charger.frame("start_transaction"))[2]
    # One sample interval's worth (15 minutes at the profile's 60 s): raw samples are kept once per
    # interval (ADR 0019), so the average over 15 frames is what a month of them costs.
    for n in range(15):
        stamp = {"mv-1": f"mv-{n}", "10:15:00Z": f"10:{15 + n:02d}:00Z"}
        step("MeterValues", lambda stamp=stamp: charger.frame("meter_values", TXID=tx["transactionId"], **stamp))
    step("StopTransaction", lambda: charger.frame("stop_transaction", TXID=tx["transactionId"]))
    step("$disconnect", charger.disconnect)


def _average(f: Figures) -> Figures:
    n = max(len(f.samples), 1)
    median = statistics.median(f.samples or [0.0])
    return Figures(f.rru / n, f.wru / n, round(f.calls / n), median, f.log_bytes / n, f.samples)
