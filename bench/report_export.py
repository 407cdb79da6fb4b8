"""Charging reports exported through the local stack: time, rows/s, memory and CPU at 10,000 / 100,000 / 1,000,000 sessions.

python -m bench.report_export [--sessions 10000 100000 1000000] [--stations 1000] [--chargers 10] [--embedded]
                               [--readers N]  (time slices read at once, reports.READERS; 1: one chained Query)
python -m bench.report_export --smoke          100 stations, 2,000 sessions (run by tests/bench/test_smoke.py)

The local stack runs in this process (127.0.0.1) with moto in a process of its own, as `make run` does
(CSMS_MOTO_PROCESS=1; `--embedded`: moto in this process, one GIL for both). Stations and sessions are put
straight into moto's tables inside moto's process (bench/moto_seed.py through moto's `seed` hook: no HTTP
nor moto write path per item; the setup time is printed apart). Each size: POST /api/v1/reports over HTTP
for the whole history, GET until Done (the job runs in the stack's background thread, in parts of 6 MiB),
then the CSV is downloaded with its presigned link and its rows counted. Meanwhile `--chargers` OCPP
chargers send a Heartbeat every 0.5 s: their round-trip p95 shows whether the stack stays responsive.
Memory: the RSS of each process (the stack's: this one; moto's, which holds every item) sampled every
20 ms while the export runs: before, peak, and the peak until S3's CompleteMultipartUpload.
CPU: seconds of the report job's thread (our code, the HTTP clients included: what the report Lambda
spends; its writer and its page readers), of the rest of the stack's process (gateway, REST, the chargers, this bench) and of moto's request
threads per request kind (what DynamoDB and S3 do in AWS), per row; the machine is shared, so CPU seconds
judge the code where the wall clock follows the other load.
Targets: 1,000,000 sessions in <= 60 s, RSS growth <= 200 MB, time growing linearly with the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta

from bench.api_dashboard import ORG, PASSWORD, call, p95, seed_fleet
from bench.proc import cpu_s, rss_mb

TARGET_S_PER_MILLION = 60.0
TARGET_RSS_MB = 200.0
SEED_HOOKS = "bench.moto_seed"


class RssSampler(threading.Thread):
    """Each process's RSS every 20 ms until stopped: `peak` per process, and the peaks before S3's completion."""

    def __init__(self, pids: dict[str, int | str]) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.before = {name: rss_mb(pid) for name, pid in pids.items()}
        self.peak = dict(self.before)
        self.before_complete: dict[str, float] | None = None
        self.running = True

    def sample(self) -> None:
        for name, pid in self.pids.items():
            self.peak[name] = max(self.peak[name], rss_mb(pid))

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(0.02)

    def mark(self) -> None:
        """The peaks so far, kept as the ones before S3's CompleteMultipartUpload (moto as shipped joined
        every part in memory there: S3's work, not the job's)."""
        if self.before_complete is None:
            self.sample()
            self.before_complete = dict(self.peak)


class RemoteMoto:
    """bench.api_dashboard.Moto's `put`, collected here and written inside moto's process in one `seed` call."""

    def __init__(self, endpoint: str, region: str) -> None:
        self.endpoint, self.region = endpoint, region
        self.items: dict[str, list[dict]] = {}

    def put(self, table_name: str, item: dict) -> None:
        self.items.setdefault(table_name, []).append(item)

    def flush(self) -> None:
        seed(self.endpoint, "put_items", region=self.region, items=self.items)
        self.items = {}


def seed(endpoint: str, function: str, **args) -> dict:
    from devstack.aws import control

    return control(endpoint, "seed", {"hook": f"{SEED_HOOKS}:{function}", "args": args})


def seed_sessions(endpoint: str, station_ids: list[str], first: int, count: int, now: datetime) -> float:
    """`count` completed sessions spread over the last 300 days, put into moto's table inside its process,
    then the organization-time index's map built; returns the setup's seconds."""
    from chalicelib.settings import get_settings
    from chalicelib.storage.models import TransactionItem

    started = time.perf_counter()
    seed(endpoint, "put_sessions", region=get_settings().region, table=TransactionItem.Meta.table_name,
         station_ids=station_ids, first=first, count=count, now=now.isoformat())
    _index_built(now)
    seed(endpoint, "freeze")
    return time.perf_counter() - started


def _index_built(now: datetime) -> None:
    """One Query on the organization-time index: the local stack builds its map of that index now (setup),
    as DynamoDB keeps its GSI at write time, instead of during the first export page (time and RSS)."""
    from chalicelib.ports.registry import store

    store().reports.sessions(ORG, now - timedelta(days=400), now + timedelta(days=1), 1, None)


class CpuMeter:
    """CPU seconds while an export runs: the report job's thread (our code: what the Lambda would spend, HTTP
    client included), this whole process, moto's process, and moto's request threads per request kind."""

    def __init__(self, endpoint: str, moto_pid: int | None) -> None:
        self.endpoint, self.moto_pid = endpoint, moto_pid
        self.job = 0.0
        self.sampler: RssSampler | None = None
        self._lock = threading.Lock()
        self._started: tuple[float, float] = (0.0, 0.0)
        self._threads: list[threading.Thread] = []

    def install(self) -> None:
        from chalicelib.domain import reports
        from chalicelib.domain.time_slices import SlicedReads
        from chalicelib.storage.adapters.reports import DynamoReports

        meter, complete, read_pages = self, DynamoReports.complete_upload, SlicedReads._run

        def counted_reader(reads, first):  # the job's page reader threads: the job's CPU too
            meter.run_job(lambda: read_pages(reads, first))

        def marked(adapter, *args, **kwargs):
            if meter.sampler is not None:
                meter.sampler.mark()
            return complete(adapter, *args, **kwargs)

        def launch(org_id: str, report_id: str) -> None:
            job = threading.Thread(target=meter.run_job, args=(lambda: reports.run_chained(org_id, report_id),), daemon=True)
            meter._threads.append(job)
            job.start()

        DynamoReports.complete_upload = marked
        SlicedReads._run = counted_reader
        reports.set_launcher(launch)

    def run_job(self, run) -> None:
        began = time.thread_time()
        try:
            run()
        finally:
            with self._lock:
                self.job += time.thread_time() - began

    def start(self) -> None:
        from devstack.aws import control

        control(self.endpoint, "stats")  # resets moto's counters
        with self._lock:
            self.job = 0.0
        self._started = (cpu_s(), cpu_s(self.moto_pid) if self.moto_pid else 0.0)

    def figures(self) -> dict:
        """After Done: the job's threads are waited for (the job saves Done just before its thread ends)."""
        from devstack.aws import control

        for job in self._threads:
            job.join(30)
        self._threads = []
        stack = cpu_s() - self._started[0]
        moto = cpu_s(self.moto_pid) - self._started[1] if self.moto_pid else 0.0
        return {"job_cpu": self.job, "stack_cpu": stack, "moto_process_cpu": moto,
                "moto_cpu": control(self.endpoint, "stats")["cpu"]}


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


def _done(http_url: str, token: str, job: dict) -> dict:
    """The report's state once it is no longer Running."""
    report, started = {"state": job["state"]}, time.perf_counter()
    while report["state"] == "Running":
        # every 0.1 s at first, then every 2 % of the time so far (at most 1 s): the polls' CPU stays small
        time.sleep(min(1.0, max(0.1, (time.perf_counter() - started) / 50)))
        _status, report = call(f"{http_url}/api/v1/reports/{job['report_id']}", token)
    return report


def export(http_url: str, token: str, days: tuple[str, str], meter: CpuMeter, pids: dict[str, int | str]) -> dict:
    """One report over HTTP, start to Done; returns the figures."""
    sampler = meter.sampler = RssSampler(pids)
    sampler.start()
    meter.start()
    started = time.perf_counter()
    _status, job = call(f"{http_url}/api/v1/reports", token, {"from": days[0], "to": days[1]})
    report = _done(http_url, token, job)
    took = time.perf_counter() - started
    cpu = meter.figures()
    sampler.running = False
    sampler.join()
    if report["state"] != "Done":
        raise SystemExit(f"report failed: {report.get('error')}")
    lines = size = 0
    with urllib.request.urlopen(report["download_url"], timeout=120) as answer:  # noqa: S310 (moto's S3 on 127.0.0.1)
        for line in answer:
            lines, size = lines + 1, size + len(line)
    return {"rows": report["session_count"], "csv_rows": lines - 1, "csv_mb": size / 2**20, "seconds": took,
            "before": sampler.before, "peak": sampler.peak, "kwh": report["total_kwh"],
            "before_complete": sampler.before_complete or sampler.peak, **cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--stations", type=int, default=1_000)
    parser.add_argument("--chargers", type=int, default=10)
    parser.add_argument("--embedded", action="store_true", help="moto in this process (one GIL), not its own")
    parser.add_argument("--smoke", action="store_true", help="100 stations, 2,000 sessions, 2 chargers")
    parser.add_argument("--readers", type=int, default=None, help="time slices read at once (reports.READERS)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sessions, args.stations, args.chargers = [2_000], 100, 2

    import logging
    import random

    for name in ("devstack", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from chalicelib.observability import logger
    from chalicelib.settings import get_settings
    from devstack.stack import LocalStack

    logger.setLevel("WARNING")
    if args.readers:
        from chalicelib.domain import reports

        reports.READERS = args.readers
    os.environ["CSMS_MOTO_SEED_HOOKS"] = SEED_HOOKS  # moto's process inherits it: its `seed` action may run them
    rows = []
    with tempfile.TemporaryDirectory() as tmp, LocalStack(
        data_dir=tmp, seed=False, snapshot=False, schedule_interval=3600, table_prefix="csms-bench-rep-",
        moto_process=not args.embedded,
    ) as stack:
        moto_pid = stack._aws.proc.pid if not args.embedded else None
        pids: dict[str, int | str] = {"stack": "self", **({"moto": moto_pid} if moto_pid else {})}
        meter = CpuMeter(stack.aws_endpoint, moto_pid)
        meter.install()
        fleet = RemoteMoto(stack.aws_endpoint, get_settings().region)
        paths = seed_fleet(fleet, args.stations, random.Random(42))
        fleet.flush()
        station_ids = sorted(paths)
        _status, login = call(f"{stack.http_url}/api/v1/auth/login", body={"username": "bench-admin", "password": PASSWORD})
        token = login["token"]
        chargers = Heartbeats(stack.ws_url, station_ids[: args.chargers])
        chargers.start()
        chargers.ready.wait(30)
        now = datetime.now(UTC)
        days = ((now - timedelta(days=301)).date().isoformat(), now.date().isoformat())
        seeded = 0
        warmed = False
        where = "in this process" if args.embedded else f"in moto's process {moto_pid}"
        for size in sorted(args.sessions):
            took = seed_sessions(stack.aws_endpoint, station_ids, seeded + 1, size - seeded, now)
            seeded = size
            if not warmed:  # setup: one small report (imports, the S3 client) before anything is measured
                _done(stack.http_url, token, call(f"{stack.http_url}/api/v1/reports", token, {"from": days[1], "to": days[1]})[1])
                warmed = True
            gc.collect()
            gc.freeze()
            print(f"seeded {size:,} sessions over {len(station_ids):,} stations (setup {took:.1f} s, straight into moto "
                  f"{where})", flush=True)
            chargers.times.clear()
            chargers.measuring = True
            figures = export(stack.http_url, token, days, meter, pids)
            chargers.measuring = False
            figures.update(setup=took)
            figures["heartbeat_p95"] = p95(chargers.times) if chargers.times else float("nan")
            figures["heartbeats"] = len(chargers.times)
            assert figures["rows"] == figures["csv_rows"] == size, figures
            rows.append(figures)
            print(_line(figures), flush=True)
        chargers.stop = True
    return _summary(rows)


def _memory(f: dict) -> str:
    return "; ".join(
        f"{name} {f['before'][name]:.0f} MB + {f['peak'][name] - f['before'][name]:.1f} MB "
        f"(+{f['before_complete'][name] - f['before'][name]:.1f} before S3's completion)"
        for name in f["before"]
    )


def _growth(f: dict, name: str, key: str = "peak") -> float:
    return f[key][name] - f["before"][name]


def _line(f: dict) -> str:
    return (f"{f['rows']:>10,} rows  {f['seconds']:>7.1f} s  {f['rows'] / f['seconds']:>9,.0f} rows/s  "
            f"RSS {_memory(f)}  Heartbeat p95 {f['heartbeat_p95']:>7.1f} ms ({f['heartbeats']} beats)")


def _cpu_line(f: dict) -> str:
    """CPU per row: the job (our code, as a Lambda would run it), the stack's other threads, and moto
    (what DynamoDB/S3 do in AWS) by request kind; with the CPU seconds of both processes."""
    per_row = lambda seconds: seconds / f["rows"] * 1e6  # noqa: E731
    query = f["moto_cpu"].get("Query", 0.0)
    other = sum(f["moto_cpu"].values()) - query
    moto_threads = sum(f["moto_cpu"].values())
    stack_other = f["stack_cpu"] - f["job_cpu"] - (0.0 if f["moto_process_cpu"] else moto_threads)
    return (f"{f['rows']:>10,} rows  CPU per row: report job (our code, its writer and page-reader threads) "
            f"{per_row(f['job_cpu']):6.1f} us, moto Query {per_row(query):6.1f} us, moto other (S3 parts, job saves, "
            f"Heartbeats' writes) {per_row(other):5.1f} us; CPU s: job {f['job_cpu']:.1f}, rest of the stack's process "
            f"(gateway and Heartbeats, REST, bench) {stack_other:.1f}, stack process {f['stack_cpu']:.1f}, moto process "
            f"{f['moto_process_cpu']:.1f} ({(f['stack_cpu'] + f['moto_process_cpu']) / f['seconds']:.2f} cores busy); "
            f"setup {f['setup']:.1f} s; CSV {f['csv_mb']:.1f} MB")


def _cpu_per_row(f: dict) -> float:
    """The export's own CPU per row: the job's threads and moto's requests (the chargers' share follows the wall clock)."""
    return (f["job_cpu"] + sum(f["moto_cpu"].values())) / f["rows"]


def _summary(rows: list[dict]) -> int:
    print("\nreport export through the local stack (CSV in moto's S3, downloaded with its presigned link)")
    for f in rows:
        print(_line(f))
    for f in rows:
        print(_cpu_line(f))
    rates = [f["rows"] / f["seconds"] for f in rows]
    per_million = 1_000_000 / rates[-1]
    linear = max(rates) / min(rates) if len(rates) > 1 else 1.0
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    print(f"{verdict(per_million <= TARGET_S_PER_MILLION)} 1,000,000 rows at the largest size's rate: {per_million:.0f} s "
          f"(target <= {TARGET_S_PER_MILLION:.0f} s)")
    for name in rows[0]["before"]:
        growth = max(_growth(f, name) for f in rows)
        before_complete = max(_growth(f, name, "before_complete") for f in rows)
        peak = max(f["peak"][name] for f in rows)
        print(f"{verdict(growth <= TARGET_RSS_MB)} RSS growth during an export, {name} process: {growth:.1f} MB "
              f"(target <= {TARGET_RSS_MB:.0f} MB; {before_complete:.1f} MB until S3's CompleteMultipartUpload; "
              f"peak RSS {peak:.0f} MB)")
    print(f"{verdict(linear <= 1.5)} linear: fastest/slowest rows/s = {linear:.2f} (target <= 1.5)")
    cpu = [_cpu_per_row(f) for f in rows]
    print(f"{verdict(max(cpu) / min(cpu) <= 1.5)} linear in CPU (the wall clock moves with the other agents' load): "
          f"highest/lowest CPU per row of the job and moto's requests = {max(cpu) / min(cpu):.2f} (target <= 1.5)")
    print(f"Heartbeat p95 during exports: {statistics.median([f['heartbeat_p95'] for f in rows]):.1f} ms (median over sizes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
