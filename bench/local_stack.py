"""1,000 chargers on the local stack: BootNotification, then Heartbeats; Heartbeat round trip p95 ≤ 50 ms.

python -m bench.local_stack [--chargers 1000] [--heartbeats 5] [--interval 2.0]
python -m bench.local_stack --burst [--window 10]   all connect at once (a fleet back after an outage):
    target every charger connected within the window, none dropped, then Heartbeat p95 ≤ 50 ms
python -m bench.local_stack --smoke                 20 chargers, a few seconds (run by `make test`)
python -m bench.local_stack --cycles 500            connect/boot/status/disconnect of the 6 demo stations:
    ms per cycle and RSS of the stack and moto every 50 cycles (both must stay flat)

A charger refused with 503 (the gateway sheds a burst it cannot take in time) retries after 0.2-1 s,
as a real one does after a failed connect, while its window lasts; any other failure is a drop.

Phase 1 (in-process): a LocalStack with the demo seed, 1,000 stations ACME/BENCH00000.. created with
`create_station`, stopped so its snapshot lands in a temp data dir. Phase 2: `python -m devstack` in a
subprocess (own GIL) restores that snapshot; the chargers run in this process: OCPP-J frames built and
read by the `ocpp` library (Call, unpack; every 20th charger's answers validated by its OCPP 1.6 schemas)
over the light asyncio-streams client of bench/ws_client.py, since they share the cores with the stack
(`--client websockets`: the `websockets` library's client, as before). The subprocess is stopped with
SIGTERM by its PID. 127.0.0.1 only.

"Connected" (the burst's window) is the WebSocket upgrade accepted, i.e. the $connect answered 200;
"all Boots Accepted after" is printed beside it (docs/adr/0029-burst-bench-client-and-connect-reads.md).
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
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.proc import children
from bench.proc import cpu_s as process_cpu_s
from bench.proc import rss_mb as process_rss_mb
from devstack.process import free_port

ROOT = Path(__file__).resolve().parent.parent
ORG = "ACME"
TARGET_MS = 50.0
CHECK_EVERY = 20  # every 20th charger's answers are validated by the `ocpp` library (its schemas cost CPU)
HOST = "127.0.0.1"


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
    http_port, ws_port = free_port(), free_port()
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
    deadline = time.monotonic() + 180  # a reused --data-dir may replay a journal first
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
            raise RuntimeError("devstack did not answer /api/v1/health within 180 s")
        time.sleep(0.2)
    return proc, http, f"ws://{HOST}:{ws_port}/ocpp", log_path


def stop_stack(proc: subprocess.Popen) -> float:
    """SIGTERM by PID; returns the seconds until it exited (SIGKILL after 60)."""
    started = time.perf_counter()
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return time.perf_counter() - started


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of the stack and of its children (moto's process), in MB."""
    return {"stack": process_rss_mb(pid), "moto": sum(process_rss_mb(c) for c in children(pid))}


def cpu_s(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far by the stack, by moto's process and by this bench's chargers."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"stack": process_cpu_s(pid), "moto": sum(process_cpu_s(c) for c in children(pid)),
            "chargers": usage.ru_utime + usage.ru_stime}


def load_average() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


# --- chargers ------------------------------------------------------------------------------------
class Stats:
    def __init__(self) -> None:
        self.connected = 0
        self.refused_503 = 0
        self.last_connect_s = 0.0  # from the go until the last WebSocket upgrade was accepted ($connect answered)
        self.last_boot_s = 0.0  # from the go until the last BootNotification was answered Accepted
        self.checked = [0, 0]  # answers validated by the `ocpp` library: [valid, invalid, first failures...]
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


async def _call(ws, ids: list[int], action: str, payload: dict, timeout: float, check: list | None = None):
    """Send a CALL, wait for the CALLRESULT/CALLERROR with its id; answer server CALLs on the way.
    With `check`, the answer is also validated by the `ocpp` library (its schema for `action`)."""
    from ocpp.messages import Call, CallResult, unpack

    ids[0] += 1
    message_id = str(ids[0])
    frame = Call(message_id, action, payload).to_json()
    started = time.perf_counter()
    await ws.send(frame)
    async with asyncio.timeout(timeout):
        while True:
            message = unpack(await ws.recv())
            if isinstance(message, Call):  # the CSMS asks something: not part of this bench
                await ws.send(json.dumps([4, message.unique_id, "NotImplemented", "", {}]))
                continue
            if message.unique_id == message_id:
                elapsed = time.perf_counter() - started
                if not isinstance(message, CallResult):
                    return elapsed, message
                if check is not None:
                    await _validate(check, message, action)
                return elapsed, message.payload


async def _validate(check: list, message, action: str) -> None:
    """Count one answer checked against the `ocpp` library's OCPP 1.6 schema; keep the first failure."""
    from ocpp.messages import validate_payload

    message.action = action
    try:
        await validate_payload(message, "1.6")
        check[0] += 1
    except Exception as exc:  # noqa: BLE001 (reported, and fails the run)
        check[1] += 1
        check.append(f"{action}: {exc}")


async def charger(
    n: int, url: str, args, stats: Stats, go: asyncio.Event, ready: asyncio.Event, hold: asyncio.Event
) -> None:
    station = f"BENCH{n:05d}"
    await go.wait()
    if args.ramp:
        await asyncio.sleep(args.ramp * n / args.chargers)
    started = time.perf_counter()
    try:
        ws = await _connect(f"{url}/{ORG}/{station}", args, stats, started + args.connect_timeout)
    except Exception as exc:  # noqa: BLE001 (counted: a drop)
        stats.error(stats.connect_errors, exc)
        stats.settled += 1
        stats.finished += 1
        return
    stats.connect_s.append(time.perf_counter() - started)
    stats.last_connect_s = max(stats.last_connect_s, time.perf_counter() - stats.go_at)  # type: ignore[attr-defined]
    stats.connected += 1
    ids = [0]
    settled = False
    check = stats.checked if n % CHECK_EVERY == 0 else None
    try:
        elapsed, result = await _call(
            ws, ids, "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "LocalStack"}, 30, check
        )
        stats.boot_s.append(elapsed)
        if isinstance(result, dict) and result.get("status") == "Accepted":
            stats.boot_accepted += 1
            stats.last_boot_s = max(stats.last_boot_s, time.perf_counter() - stats.go_at)  # type: ignore[attr-defined]
        else:
            stats.boot_other += 1
        stats.settled += 1
        settled = True
        await ready.wait()  # heartbeats only once every charger is connected (or failed)
        # spread the first heartbeat over one interval, then interval ± 25 % jitter
        await asyncio.sleep(random.uniform(0, args.interval))
        for _ in range(args.heartbeats):
            stats.hb_sent += 1
            elapsed, result = await _call(ws, ids, "Heartbeat", {}, 10, check)
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


async def _connect(url: str, args, stats: Stats, deadline: float):
    """Connect; after a 503 try again 0.2-1 s later while the deadline allows (other failures raise)."""
    while True:
        try:
            return await _open(url, args.client, max(0.5, deadline - time.perf_counter()))
        except Exception as refused:
            if _refusal_status(refused) != 503:
                raise
            stats.refused_503 += 1
            pause = random.uniform(0.2, 1.0)
            if time.perf_counter() + pause >= deadline:
                raise
            await asyncio.sleep(pause)


async def _open(url: str, client: str, timeout: float):
    """A charger's WebSocket: the bench's light client (bench/ws_client.py) or the `websockets` library's."""
    if client == "light":
        from bench import ws_client

        return await ws_client.connect(url, "ocpp1.6", timeout)
    from websockets.asyncio.client import connect

    return await connect(
        url, subprotocols=["ocpp1.6"], compression=None, ping_interval=None, open_timeout=timeout, close_timeout=2
    )


def _refusal_status(exc: Exception) -> int | None:
    from websockets.exceptions import InvalidStatus

    from bench.ws_client import Refused

    if isinstance(exc, Refused):
        return exc.status
    if isinstance(exc, InvalidStatus):
        return exc.response.status_code
    return None


async def run_chargers(url: str, args, pid: int) -> Stats:
    stats = Stats()
    stats.cpu = {"start": cpu_s(pid)}  # type: ignore[attr-defined]
    stats.load = {"start": load_average()}  # type: ignore[attr-defined]
    go, ready, hold = asyncio.Event(), asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(charger(n, url, args, stats, go, ready, hold)) for n in range(args.chargers)]
    await asyncio.sleep(0)
    stats.go_at = time.perf_counter()  # type: ignore[attr-defined]
    go.set()  # all at once (or spread over --ramp seconds)
    started = time.perf_counter()
    while stats.settled < args.chargers and time.perf_counter() - started < args.ramp + args.connect_timeout + 35:
        await asyncio.sleep(0.1)
    stats.connect_phase = time.perf_counter() - started  # type: ignore[attr-defined]
    stats.cpu["connected"] = cpu_s(pid)  # type: ignore[attr-defined]
    stats.load["connected"] = load_average()  # type: ignore[attr-defined]
    ready.set()
    budget = args.interval * (args.heartbeats + 1) * 1.25 + 10 * args.heartbeats
    budget = min(budget, args.max_seconds - stats.connect_phase)  # type: ignore[attr-defined]
    started = time.perf_counter()
    while stats.finished < args.chargers and time.perf_counter() - started < budget:
        await asyncio.sleep(0.25)
    stats.cpu["heartbeats"] = cpu_s(pid)  # type: ignore[attr-defined]
    stats.load["heartbeats"] = load_average()  # type: ignore[attr-defined]
    hold.set()
    done, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=5)
    stats.elapsed = time.perf_counter() - started  # type: ignore[attr-defined]
    return stats


DEMO_STATIONS = [f"EVI000000{n}" for n in range(13, 19)]


async def run_cycles(url: str, pid: int, cycles: int, every: int = 50) -> list[tuple[int, float, dict[str, float]]]:
    """Connect, BootNotification, StatusNotification, disconnect, over the 6 demo stations in turn;
    (cycles done, ms per cycle, RSS) every `every` cycles: both must stay flat."""
    from websockets.asyncio.client import connect

    rows = []
    started = time.perf_counter()
    for n in range(cycles):
        station = DEMO_STATIONS[n % len(DEMO_STATIONS)]
        async with connect(f"{url}/{ORG}/{station}", subprotocols=["ocpp1.6"], ping_interval=None, compression=None) as ws:
            ids = [0]
            await _call(ws, ids, "BootNotification", {"chargePointVendor": "Bench", "chargePointModel": "Cycle"}, 30)
            status = {"connectorId": 1, "errorCode": "NoError", "status": "Available"}
            await _call(ws, ids, "StatusNotification", status, 30)
        if (n + 1) % every == 0:
            rows.append((n + 1, (time.perf_counter() - started) / every * 1000, rss_mb(pid)))
            print(f"cycle {n + 1:5d}: {rows[-1][1]:6.1f} ms/cycle   RSS stack {rows[-1][2]['stack']:.0f} MB, "
                  f"moto {rows[-1][2]['moto']:.0f} MB", flush=True)
            started = time.perf_counter()
    return rows


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))] * 1000


def cpu_rows(stats: Stats) -> list[tuple[str, str]]:
    """CPU seconds each process used per phase, and per charger in the connect phase: where the time goes."""
    cpu = stats.cpu  # type: ignore[attr-defined]
    rows = []
    for phase, (before, after) in (("connect+boot", ("start", "connected")), ("heartbeat", ("connected", "heartbeats"))):
        used = {k: cpu[after][k] - cpu[before][k] for k in cpu[after]}
        rows.append((f"CPU {phase} phase (stack / moto / chargers)", " / ".join(f"{v:.1f}" for v in used.values()) + " s"))
        if phase == "connect+boot" and stats.connected:
            per = " / ".join(f"{v / stats.connected * 1000:.0f}" for v in used.values())
            rows.append(("CPU per charger connect+boot", f"{per} ms"))
    return rows


def _checked(checked: list) -> str:
    valid, invalid, *failures = checked
    return f"{valid} valid, {invalid} invalid" + (f" (first: {failures[0]})" if failures else "")


def report(stats: Stats, args, prep_s: float, rss: dict[str, dict[str, float]]) -> bool:
    hb = stats.hb_s
    rate = args.chargers / args.interval
    last = stats.last_connect_s
    drops = sum(stats.connect_errors.values())
    rows = [
        ("chargers connected", f"{stats.connected} / {args.chargers}"),
        ("all connected after", f"{last:.1f} s (every upgrade accepted, i.e. $connect answered; window "
                                f"{args.connect_timeout:g} s, ramp {args.ramp:g} s)"),
        ("all Boots Accepted after", f"{stats.last_boot_s:.1f} s (every BootNotification answered Accepted)"),
        ("connect rate", f"{stats.connected / last if last else 0:.0f} /s"),
        ("charger WebSocket client", args.client),
        ("refused 503 (retried)", str(stats.refused_503)),
        ("drops (failed connects)", f"{drops} {json.dumps(stats.connect_errors) if drops else ''}".strip()),
        ("connect time p50 / p95 / max", f"{pct(stats.connect_s, 50):.1f} / {pct(stats.connect_s, 95):.1f} / {pct(stats.connect_s, 100):.1f} ms"),
        ("BootNotification Accepted", f"{stats.boot_accepted} (other {stats.boot_other})"),
        ("answers checked by ocpp 1.6 schemas", _checked(stats.checked)),
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
        *cpu_rows(stats),
        *((f"load average 1/5/15 min at {when}", value) for when, value in stats.load.items()),  # type: ignore[attr-defined]
        *((f"RSS {when} (stack / moto)", f"{v['stack']:.0f} / {v['moto']:.0f} MB") for when, v in rss.items()),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    p95 = pct(hb, 95)
    ok = bool(hb) and stats.connected == args.chargers and p95 <= TARGET_MS and not stats.checked[1]
    print(f"\ntarget Heartbeat p95 ≤ {TARGET_MS:g} ms with {args.chargers} chargers connected: {'PASS' if ok else 'FAIL'}")
    if args.burst:
        in_time = stats.connected == args.chargers and not drops and last <= args.connect_timeout
        verdict = "PASS" if in_time and ok else "FAIL"
        print(f"target burst: {args.chargers} connected within {args.connect_timeout:g} s, none dropped, then Heartbeat "
              f"p95 ≤ {TARGET_MS:g} ms: {verdict}")
        ok = ok and in_time
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
    parser.add_argument("--burst", action="store_true", help="all at once; the window is --window")
    parser.add_argument("--window", type=float, default=10.0, help="--burst: seconds for every charger to connect")
    parser.add_argument("--smoke", action="store_true", help="20 chargers, 1 heartbeat, a few seconds")
    parser.add_argument("--data-dir", type=Path, help="prepared stations kept here and reused by the next run")
    parser.add_argument("--client", choices=("light", "websockets"), default="light",
                        help="the chargers' WebSocket client: bench/ws_client.py (default) or the websockets library")
    parser.add_argument("--cycles", type=int, default=0, help="instead: N connect/boot/status/disconnect cycles, RSS")
    args = parser.parse_args(argv)
    if args.smoke:
        args.chargers, args.heartbeats, args.interval, args.burst = 20, 1, 0.5, True
    if args.burst:
        args.ramp, args.connect_timeout = 0.0, args.window
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("devstack", "websockets", "werkzeug", "botocore", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    _raise_nofile(2 * args.chargers + 512)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="csms-bench-stack-"))
    proc = None
    try:
        reuse = args.data_dir is not None and (data_dir / "dynamodb.json").exists()
        prep_s = 0.0 if reuse else prepare_data(data_dir, args.chargers)
        proc, http, ws_url, log_path = start_stack(data_dir)
        print(f"devstack pid {proc.pid}: {http}  {ws_url}  (log {log_path})")
        rss = {"before": rss_mb(proc.pid)}
        if args.cycles:
            rows = asyncio.run(run_cycles(ws_url, proc.pid, args.cycles))
            first, last = rows[0], rows[-1]
            print(f"RSS stack {first[2]['stack']:.0f} -> {last[2]['stack']:.0f} MB, moto {first[2]['moto']:.0f} -> "
                  f"{last[2]['moto']:.0f} MB; {first[1]:.0f} -> {last[1]:.0f} ms per cycle over {args.cycles} cycles")
            return 0
        stats = asyncio.run(run_chargers(ws_url, args, proc.pid))
        rss["after"] = rss_mb(proc.pid)
        report(stats, args, prep_s, rss)
    finally:
        if proc is not None:
            took = stop_stack(proc)
            print(f"devstack pid {proc.pid} stopped by SIGTERM in {took:.1f} s (exit {proc.returncode})")
        if not args.keep and args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
