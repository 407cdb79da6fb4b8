"""Charging reports exported through the local stack: time, rows/s and memory at 10,000 / 100,000 / 1,000,000 sessions.

python -m bench.report_export [--sessions 10000 100000 1000000] [--stations 1000] [--chargers 10]
python -m bench.report_export --smoke          100 stations, 2,000 sessions (run by tests/bench/test_smoke.py)

The local stack runs in this process with moto embedded (127.0.0.1); stations and sessions are put straight
into moto's tables (stations: bench.api_dashboard's seeding; sessions in bulk, no HTTP nor moto write path per
item; the setup time is printed apart). Each size: POST /api/v1/reports over
HTTP for the whole history, GET until Done (the job runs in the stack's background thread, in parts of
6 MiB), then the CSV is downloaded with its presigned link and its rows counted. Meanwhile `--chargers`
OCPP chargers send a Heartbeat every 0.5 s: their round-trip p95 shows whether the stack stays responsive.
Memory: moto keeps every item in this process, so the figure that matters is the RSS growth while the
export runs (sampled every 20 ms), printed with the process's RSS before it.
CPU: moto and our code share this process (and its GIL), so the CPU per row of the report job's thread (our
code, the HTTP clients included: what the report Lambda spends) and of moto's requests (what DynamoDB and S3
do in AWS) are printed apart.
Targets: 1,000,000 sessions in <= 60 s, RSS growth <= 200 MB, time growing linearly with the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

from bench.api_dashboard import ORG, PASSWORD, Moto, _transaction, call, p95, seed_fleet

TARGET_S_PER_MILLION = 60.0
TARGET_RSS_MB = 200.0


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler(threading.Thread):
    """The process's RSS every 20 ms until stopped; `peak` is the highest seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.before_complete: float | None = None
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def mark(self) -> None:
        """The peak so far, kept as the one before S3's CompleteMultipartUpload (moto joins every part in
        memory there, twice the file's size: S3's work, not the job's)."""
        if self.before_complete is None:
            self.before_complete = max(self.peak, rss_mb())


def seed_sessions(moto: Moto, station_ids: list[str], first: int, count: int, now: datetime) -> float:
    """`count` completed sessions spread over the last 300 days, round-robin over the stations, put straight
    into moto's table in bulk (what a PutItem would store; the local stack's Query caches dropped once)."""
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    from chalicelib.storage.models import TransactionItem
    from devstack.fast_dynamodb import invalidate

    started = time.perf_counter()
    table = moto.backend.get_table(TransactionItem.Meta.table_name)
    span = 300 * 86400

    def value(kind: str, text: str) -> DynamoType:
        typed = object.__new__(DynamoType)
        typed.type, typed.value = kind, text
        return typed

    for n in range(first, first + count):
        start = now - timedelta(seconds=(n * 7919) % span)
        wire = _transaction(n, station_ids[n % len(station_ids)], 1 + n % 2, start, float(1000 + n % 30000))
        item = object.__new__(Item)  # not Item(): its size check sums every attribute at each insert
        attrs = item.attrs = LimitedSizeDict.__new__(LimitedSizeDict)
        dict.update(attrs, {name: value(*typed.popitem()) for name, typed in wire.items()})
        item.hash_key, item.range_key = attrs["transaction_id"], None
        table.items[item.hash_key] = item
    invalidate(table)
    moto.written["transactions"] += count
    _index_built(now)
    return time.perf_counter() - started


def _index_built(now: datetime) -> None:
    """One Query on the organization-time index: the local stack builds its map of that index now (setup),
    as DynamoDB keeps its GSI at write time, instead of during the first export page (time and RSS)."""
    from chalicelib.ports.registry import store

    store().reports.sessions(ORG, now - timedelta(days=400), now + timedelta(days=1), 1, None)


class CpuMeter:
    """CPU seconds of the report job's thread (our code: what the Lambda would spend, HTTP client included)
    and of moto's request handling (DynamoDB Query, the rest), counted per thread while an export runs."""

    def __init__(self) -> None:
        self.job = 0.0
        self.moto: dict[str, float] = {}
        self.sampler: RssSampler | None = None
        self._lock = threading.Lock()

    def install(self) -> None:
        from chalicelib.domain import reports
        from devstack.moto_app import MotoApp

        meter, moto_call = self, MotoApp.__call__

        def measured(app, environ, start_response):
            completing = environ.get("REQUEST_METHOD") == "POST" and "uploadId=" in environ.get("QUERY_STRING", "")
            if completing and meter.sampler is not None:
                meter.sampler.mark()
            began = time.thread_time()
            try:
                return moto_call(app, environ, start_response)
            finally:
                kind = environ.get("HTTP_X_AMZ_TARGET", "").rpartition(".")[2] or "S3 and other"
                meter.add_moto(kind, time.thread_time() - began)

        def launch(org_id: str, report_id: str) -> None:
            threading.Thread(target=meter.run_job, args=(reports.run_chained, org_id, report_id), daemon=True).start()

        MotoApp.__call__ = measured
        reports.set_launcher(launch)

    def run_job(self, run, org_id: str, report_id: str) -> None:
        began = time.thread_time()
        try:
            run(org_id, report_id)
        finally:
            with self._lock:
                self.job += time.thread_time() - began

    def add_moto(self, kind: str, seconds: float) -> None:
        with self._lock:
            self.moto[kind] = self.moto.get(kind, 0.0) + seconds

    def reset(self) -> None:
        with self._lock:
            self.job, self.moto = 0.0, {}


class Heartbeats(threading.Thread):
    """Chargers sending Heartbeats every 0.5 s on their own event loop; round trips (ms) while `measuring`."""

    def __init__(self, ws_url: str, station_ids: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.station_ids = ws_url, station_ids
        self.times: list[float] = []
        self.measuring = False
        self.stop = False
        self.ready = threading.Event()

    def run(self) -> None:
        asyncio.run(self._all())

    async def _all(self) -> None:
        await asyncio.gather(*(self._charger(s) for s in self.station_ids))

    async def _charger(self, station_id: str) -> None:
        from websockets.asyncio.client import connect

        async with connect(f"{self.url}/{ORG}/{station_id}", subprotocols=["ocpp1.6"], ping_interval=None) as ws:
            await ws.send(json.dumps([2, "boot", "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "R"}]))
            await ws.recv()
            self.ready.set()
            n = 0
            while not self.stop:
                n += 1
                sent = time.perf_counter()
                await ws.send(json.dumps([2, f"hb{n}", "Heartbeat", {}]))
                await ws.recv()
                if self.measuring:
                    self.times.append((time.perf_counter() - sent) * 1000)
                await asyncio.sleep(0.5)


def export(http_url: str, token: str, days: tuple[str, str], meter: CpuMeter) -> dict:
    """One report over HTTP, start to Done; returns the figures."""
    sampler = meter.sampler = RssSampler()
    before = rss_mb()
    sampler.start()
    started = time.perf_counter()
    _status, job = call(f"{http_url}/api/v1/reports", token, {"from": days[0], "to": days[1]})
    report = {"state": job["state"]}
    while report["state"] == "Running":
        time.sleep(0.1)
        _status, report = call(f"{http_url}/api/v1/reports/{job['report_id']}", token)
    took = time.perf_counter() - started
    sampler.running = False
    sampler.join()
    if report["state"] != "Done":
        raise SystemExit(f"report failed: {report.get('error')}")
    lines = size = 0
    with urllib.request.urlopen(report["download_url"], timeout=120) as answer:  # noqa: S310 (moto's S3 on 127.0.0.1)
        for line in answer:
            lines, size = lines + 1, size + len(line)
    return {"rows": report["session_count"], "csv_rows": lines - 1, "csv_mb": size / 2**20, "seconds": took, "before": before,
            "growth": sampler.peak - before, "kwh": report["total_kwh"],
            "growth_before_complete": (sampler.before_complete or sampler.peak) - before}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stations", type=int, default=1_000)
    parser.add_argument("--chargers", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="100 stations, 2,000 sessions, 2 chargers")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sessions, args.stations, args.chargers = [2_000], 100, 2

    import logging
    import random

    for name in ("devstack", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from chalicelib.observability import logger
    from devstack.stack import LocalStack

    logger.setLevel("WARNING")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, LocalStack(
        data_dir=tmp, seed=False, snapshot=False, schedule_interval=3600, table_prefix="csms-bench-rep-"
    ) as stack:
        moto = Moto()
        meter = CpuMeter()
        meter.install()
        gc.disable()  # moto's millions of items: see bench.api_dashboard
        paths = seed_fleet(moto, args.stations, random.Random(42))
        station_ids = sorted(paths)
        _status, login = call(f"{stack.http_url}/api/v1/auth/login", body={"username": "bench-admin", "password": PASSWORD})
        token = login["token"]
        chargers = Heartbeats(stack.ws_url, station_ids[: args.chargers])
        chargers.start()
        chargers.ready.wait(30)
        now = datetime.now(UTC)
        days = ((now - timedelta(days=301)).date().isoformat(), now.date().isoformat())
        seeded = 0
        for size in sorted(args.sessions):
            gc.disable()
            took = seed_sessions(moto, station_ids, seeded + 1, size - seeded, now)
            seeded = size
            gc.enable()
            gc.freeze()
            print(f"seeded {size:,} sessions over {len(station_ids):,} stations (setup {took:.1f} s, straight into moto "
                  f"in bulk)", flush=True)
            chargers.times.clear()
            chargers.measuring = True
            meter.reset()
            figures = export(stack.http_url, token, days, meter)
            chargers.measuring = False
            figures.update(setup=took, job_cpu=meter.job, moto_cpu=dict(meter.moto))
            figures["heartbeat_p95"] = p95(chargers.times) if chargers.times else float("nan")
            figures["heartbeats"] = len(chargers.times)
            assert figures["rows"] == figures["csv_rows"] == size, figures
            rows.append(figures)
            print(_line(figures), flush=True)
        chargers.stop = True
    return _summary(rows)


def _line(f: dict) -> str:
    return (f"{f['rows']:>10,} rows  {f['seconds']:>7.1f} s  {f['rows'] / f['seconds']:>9,.0f} rows/s  "
            f"RSS {f['before']:>7.0f} MB + {f['growth']:>6.1f} MB during export "
            f"({f['growth_before_complete']:.1f} MB before S3's completion)  "
            f"Heartbeat p95 {f['heartbeat_p95']:>7.1f} ms ({f['heartbeats']} beats)")


def _cpu_line(f: dict) -> str:
    """CPU per row: the job (our code, as a Lambda would run it) and moto (what DynamoDB/S3 do in AWS)."""
    per_row = lambda seconds: seconds / f["rows"] * 1e6  # noqa: E731
    query = f["moto_cpu"].get("Query", 0.0)
    other = sum(f["moto_cpu"].values()) - query
    return (f"{f['rows']:>10,} rows  CPU per row: report job (our code) {per_row(f['job_cpu']):6.1f} us, "
            f"moto Query {per_row(query):6.1f} us, moto other (S3 parts, job saves...) {per_row(other):5.1f} us; "
            f"setup {f['setup']:.1f} s; CSV {f['csv_mb']:.1f} MB")


def _summary(rows: list[dict]) -> int:
    print("\nreport export through the local stack (CSV in moto's S3, downloaded with its presigned link)")
    for f in rows:
        print(_line(f))
    for f in rows:
        print(_cpu_line(f))
    rates = [f["rows"] / f["seconds"] for f in rows]
    per_million = 1_000_000 / rates[-1]
    linear = max(rates) / min(rates) if len(rates) > 1 else 1.0
    growth = max(f["growth"] for f in rows)
    growth_job = max(f["growth_before_complete"] for f in rows)
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    print(f"{verdict(per_million <= TARGET_S_PER_MILLION)} 1,000,000 rows at the largest size's rate: {per_million:.0f} s "
          f"(target <= {TARGET_S_PER_MILLION:.0f} s)")
    print(f"{verdict(growth <= TARGET_RSS_MB)} RSS growth during an export: {growth:.1f} MB (target <= {TARGET_RSS_MB:.0f} MB)")
    print(f"{verdict(growth_job <= TARGET_RSS_MB)} RSS growth until S3's CompleteMultipartUpload (moto joins the parts "
          f"in memory there): {growth_job:.1f} MB")
    print(f"{verdict(linear <= 1.5)} linear: fastest/slowest rows/s = {linear:.2f} (target <= 1.5)")
    cpu = [(f["job_cpu"] + sum(f["moto_cpu"].values())) / f["rows"] for f in rows]
    print(f"{verdict(max(cpu) / min(cpu) <= 1.5)} linear in CPU (the wall clock moves with the other agents' load): "
          f"highest/lowest CPU per row = {max(cpu) / min(cpu):.2f} (target <= 1.5)")
    print(f"Heartbeat p95 during exports: {statistics.median([f['heartbeat_p95'] for f in rows]):.1f} ms (median over sizes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
