"""1,000 chargers on the local stack: BootNotification, then Heartbeats; Heartbeat round trip p95 ≤ 50 ms.

python -m bench.local_stack [--chargers 1000] [--heartbeats 5] [--interval 2.0]

Phase 1 (in-process): a LocalStack with the demo seed, 1,000 stations ACME/BENCH00000.. created with
`create_station`, stopped so its snapshot lands in a temp data dir. Phase 2: `python -m devstack` in a
subprocess (own GIL) restores that snapshot; the chargers (raw OCPP-J frames over the `websockets`
asyncio client) run in this process. The subprocess is stopped with SIGTERM by its PID. 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORG = "ACME"
TARGET_MS = 50.0
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _raise_nofile(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))


def prepare_data(data_dir: Path, chargers: int) -> float:
    """Seeded stack + `chargers` stations, snapshot written to data_dir; returns seconds taken."""
    from devstack.stack import LocalStack

    started = time.perf_counter()
    with LocalStack(data_dir=data_dir, seed=True, snapshot=True, schedule_interval=3600):
        from chalicelib.domain.provisioning import create_station

        for i in range(chargers):
            create_station(ORG, f"BENCH{i:05d}", exist_ok=True)
    return time.perf_counter() - started


def start_stack(data_dir: Path) -> tuple[subprocess.Popen, str, str, Path]:
    http_port, ws_port = _free_port(), _free_port()
    env = dict(os.environ)
    env.update(
        CSMS_HTTP_PORT=str(http_port),
        CSMS_WS_PORT=str(ws_port),
        CSMS_DATA_DIR=str(data_dir),
        CSMS_LOG_LEVEL=os.environ.get("BENCH_STACK_LOG_LEVEL", "WARNING"),
    )
    log_path = data_dir / "devstack.log"
    log_file = open(log_path, "wb")  # noqa: SIM115 (kept open for the child's lifetime)
    proc = subprocess.Popen(
        [sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    log_file.close()
    http = f"http://{HOST}:{http_port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"devstack exited with {proc.returncode}; see {log_path}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(http + "/api/v1/health", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            stop_stack(proc)
            raise RuntimeError("devstack did not answer /api/v1/health within 60 s")
        time.sleep(0.2)
    return proc, http, f"ws://{HOST}:{ws_port}/ocpp", log_path


def stop_stack(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


# --- chargers ------------------------------------------------------------------------------------
class Stats:
    def __init__(self) -> None:
        self.connected = 0
        self.connect_errors: dict[str, int] = {}
        self.connect_s: list[float] = []
        self.boot_accepted = 0
        self.boot_other = 0
        self.boot_s: list[float] = []
        self.hb_sent = 0
        self.hb_answered = 0
        self.hb_s: list[float] = []
        self.errors: dict[str, int] = {}
        self.settled = 0  # chargers booted or failed before the heartbeat phase
        self.finished = 0  # chargers done (failed, or holding after their last heartbeat)

    def error(self, where: dict, exc: BaseException) -> None:
        key = type(exc).__name__
        where[key] = where.get(key, 0) + 1


async def _call(ws, ids: list[int], action: str, payload: dict, timeout: float) -> tuple[float, object]:
    """Send a CALL, wait for the CALLRESULT/CALLERROR with its id; answer server CALLs on the way."""
    ids[0] += 1
    message_id = str(ids[0])
    frame = json.dumps([2, message_id, action, payload])
    started = time.perf_counter()
    await ws.send(frame)
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if message[0] == 2:  # the CSMS asks something: not part of this bench
                await ws.send(json.dumps([4, message[1], "NotImplemented", "", {}]))
                continue
            if message[1] == message_id:
                elapsed = time.perf_counter() - started
                return elapsed, (message[2] if message[0] == 3 else message)


async def charger(
    n: int, url: str, args, stats: Stats, go: asyncio.Event, ready: asyncio.Event, hold: asyncio.Event
) -> None:
    from websockets.asyncio.client import connect

    station = f"BENCH{n:05d}"
    await go.wait()
    if args.ramp:
        await asyncio.sleep(args.ramp * n / args.chargers)
    started = time.perf_counter()
    try:
        ws = await connect(
            f"{url}/{ORG}/{station}",
            subprotocols=["ocpp1.6"],
            compression=None,
            ping_interval=None,
            open_timeout=args.connect_timeout,
            close_timeout=2,
        )
    except Exception as exc:  # noqa: BLE001 (counted, never retried)
        stats.error(stats.connect_errors, exc)
        stats.settled += 1
        stats.finished += 1
        return
    stats.connect_s.append(time.perf_counter() - started)
    stats.connected += 1
    ids = [0]
    settled = False
    try:
        elapsed, result = await _call(
            ws, ids, "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "LocalStack"}, 30
        )
        stats.boot_s.append(elapsed)
        if isinstance(result, dict) and result.get("status") == "Accepted":
            stats.boot_accepted += 1
        else:
            stats.boot_other += 1
        stats.settled += 1
        settled = True
        await ready.wait()  # heartbeats only once every charger is connected (or failed)
        # spread the first heartbeat over one interval, then interval ± 25 % jitter
        await asyncio.sleep(random.uniform(0, args.interval))
        for _ in range(args.heartbeats):
            stats.hb_sent += 1
            elapsed, result = await _call(ws, ids, "Heartbeat", {}, 10)
            if isinstance(result, dict) and "currentTime" in result:
                stats.hb_answered += 1
                stats.hb_s.append(elapsed)
            await asyncio.sleep(args.interval * random.uniform(0.75, 1.25))
        stats.finished += 1
        await hold.wait()  # stay connected until every charger is done
    except Exception as exc:  # noqa: BLE001 (counted)
        stats.error(stats.errors, exc)
        stats.settled += 0 if settled else 1
        stats.finished += 1
    finally:
        try:
            await ws.close()
        except Exception:  # noqa: BLE001, S110
            pass


async def run_chargers(url: str, args) -> Stats:
    stats = Stats()
    go, ready, hold = asyncio.Event(), asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(charger(n, url, args, stats, go, ready, hold)) for n in range(args.chargers)]
    await asyncio.sleep(0)
    go.set()  # all at once (or spread over --ramp seconds)
    started = time.perf_counter()
    while stats.settled < args.chargers and time.perf_counter() - started < args.ramp + args.connect_timeout + 35:
        await asyncio.sleep(0.1)
    stats.connect_phase = time.perf_counter() - started  # type: ignore[attr-defined]
    ready.set()
    budget = args.interval * (args.heartbeats + 1) * 1.25 + 10 * args.heartbeats
    budget = min(budget, args.max_seconds - stats.connect_phase)  # type: ignore[attr-defined]
    started = time.perf_counter()
    while stats.finished < args.chargers and time.perf_counter() - started < budget:
        await asyncio.sleep(0.25)
    hold.set()
    done, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=5)
    stats.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return stats


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))] * 1000


def report(stats: Stats, args, prep_s: float) -> bool:
    hb = stats.hb_s
    rate = args.chargers / args.interval
    rows = [
        ("chargers connected", f"{stats.connected} / {args.chargers}"),
        ("connect errors", json.dumps(stats.connect_errors) if stats.connect_errors else "0"),
        ("connect time p50 / p95 / max", f"{pct(stats.connect_s, 50):.1f} / {pct(stats.connect_s, 95):.1f} / {pct(stats.connect_s, 100):.1f} ms"),
        ("BootNotification Accepted", f"{stats.boot_accepted} (other {stats.boot_other})"),
        ("Boot round trip p50 / p95", f"{pct(stats.boot_s, 50):.1f} / {pct(stats.boot_s, 95):.1f} ms"),
        ("heartbeats sent / answered", f"{stats.hb_sent} / {stats.hb_answered}"),
        ("session errors", json.dumps(stats.errors) if stats.errors else "0"),
        ("Heartbeats measured", "after all chargers connected+booted (or failed)"),
        ("offered Heartbeat rate", f"~{rate:.0f} /s ({args.chargers} chargers, every {args.interval:g} s ± 25 %)"),
        ("Heartbeat p50", f"{pct(hb, 50):.1f} ms"),
        ("Heartbeat p95", f"{pct(hb, 95):.1f} ms"),
        ("Heartbeat p99", f"{pct(hb, 99):.1f} ms"),
        ("Heartbeat max", f"{pct(hb, 100):.1f} ms"),
        ("data prep (1 stack + stations)", f"{prep_s:.1f} s"),
        ("connect+boot phase", f"{stats.connect_phase:.1f} s (ramp {args.ramp:g} s)"),  # type: ignore[attr-defined]
        ("heartbeat phase", f"{stats.elapsed:.1f} s"),  # type: ignore[attr-defined]
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    p95 = pct(hb, 95)
    ok = bool(hb) and stats.connected == args.chargers and p95 <= TARGET_MS
    print(f"\ntarget Heartbeat p95 ≤ {TARGET_MS:g} ms with {args.chargers} chargers connected: {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.local_stack", description=__doc__.splitlines()[0])
    parser.add_argument("--chargers", type=int, default=1000)
    parser.add_argument("--heartbeats", type=int, default=5, help="per charger, after the BootNotification")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between a charger's heartbeats")
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    parser.add_argument("--ramp", type=float, default=0.0, help="spread the connects over this many seconds")
    parser.add_argument("--max-seconds", type=float, default=150.0, help="bound on the charger phase")
    parser.add_argument("--keep", action="store_true", help="keep the temp data dir (devstack.log)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("devstack", "websockets", "werkzeug", "botocore", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    _raise_nofile(2 * args.chargers + 512)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    data_dir = Path(tempfile.mkdtemp(prefix="csms-bench-stack-"))
    proc = None
    try:
        prep_s = prepare_data(data_dir, args.chargers)
        proc, http, ws_url, log_path = start_stack(data_dir)
        print(f"devstack pid {proc.pid}: {http}  {ws_url}  (log {log_path})")
        stats = asyncio.run(run_chargers(ws_url, args))
        report(stats, args, prep_s)
    finally:
        if proc is not None:
            stop_stack(proc)
            print(f"devstack pid {proc.pid} stopped (exit {proc.returncode})")
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
