"""Cold start of the WebSocket handler: `import app` in fresh interpreters, then the first frame.

    python -m bench.cold_import [--runs 7]

1. wall: median over fresh subprocesses of `python -c "import app"` minus `python -c "pass"`
   (target <= 120 ms), with a Lambda's environment (AWS_DEFAULT_REGION, AWS_LAMBDA_*, no local endpoints).
2. `python -X importtime -c "import app"`: the 15 largest cumulative imports (median over the runs).
3. first frame: in a fresh subprocess, after `import app`, (a) the lazy imports on_message makes
   (chalicelib.protocol.router, chalicelib.protocol.v16), then (b) the first Heartbeat on a cold
   connection cache through app.ws_message -- GetItem for the connection (PynamoDB connection and
   botocore client created on the way) and the answer POSTed to @connections (boto3 session and
   client created) -- then (c) a second, warm Heartbeat. DynamoDB is a moto server in its own
   process and @connections a stub HTTP server here, so nothing the handler needs is preloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import _env
from devstack.process import free_port

TARGET_MS = 120.0
PY = sys.executable


def _run(code: str, env: dict, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([PY, *flags, "-c", code], cwd=_env.ROOT, env=env, capture_output=True, text=True, check=False)


def wall_ms(code: str, env: dict) -> float:
    start = time.perf_counter()
    result = _run(code, env)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{result.stderr[-2000:]}")
    return elapsed


_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def importtime(env: dict) -> dict[str, tuple[int, int, int]]:
    """module -> (self µs, cumulative µs, depth) for one `-X importtime -c 'import app'`."""
    result = _run("import app", env, "-X", "importtime")
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    out = {}
    for line in result.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            out[m.group(4)] = (int(m.group(1)), int(m.group(2)), (len(m.group(3)) - 1) // 2)
    return out


_INPROC = "import json,time; t=time.perf_counter(); c=time.process_time(); import app; print(json.dumps([time.perf_counter()-t, time.process_time()-c]))"

# --- first frame -----------------------------------------------------------------------------------
_SETUP = r"""
import json, sys
from chalicelib.storage.base import rebind
from chalicelib.storage.tables import create_all_tables
from chalicelib.seed import seed_demo
import app
from tests.support import apigw_event
rebind(); create_all_tables(); seed_demo()
event = apigw_event("connect", sys.argv[1], queryStringParameters={"chargePointId": "EVI00000013"})
print(json.dumps(app.ws_connect(event, None)))
"""

_FIRST_FRAME = r"""
import json, sys, time
t0 = time.perf_counter(); c0 = time.process_time()
import app
t1 = time.perf_counter(); c1 = time.process_time()
before = set(sys.modules)
import chalicelib.protocol.router, chalicelib.protocol.v16
t2 = time.perf_counter(); c2 = time.process_time()
after_lazy = set(sys.modules)
from chalicelib.domain import connections
connections.station_of(sys.argv[1])
tg = time.perf_counter(); cg = time.process_time()
event = json.loads(open("tests/events/apigw_message.json").read())
event["requestContext"]["connectionId"] = sys.argv[1]
app.ws_message(event, None)
t3 = time.perf_counter(); c3 = time.process_time()
after_first = set(sys.modules)
event["body"] = '[2,"2","Heartbeat",{}]'
app.ws_message(event, None)
t4 = time.perf_counter(); c4 = time.process_time()
event["body"] = open("tests/events/ocpp16/status_notification.json").read().strip()
app.ws_message(event, None)
t5 = time.perf_counter(); c5 = time.process_time()
event["body"] = event["body"].replace("st-1", "st-2")
app.ws_message(event, None)
t6 = time.perf_counter(); c6 = time.process_time()
top = lambda names: sorted({n.split(".")[0] for n in names})
print(json.dumps({
    "import_app": [t1 - t0, c1 - c0],
    "lazy_imports": [t2 - t1, c2 - c1],
    "first_frame": [t3 - t2, c3 - c2],
    "first_lookup": [tg - t2, cg - c2],
    "first_handle_send": [t3 - tg, c3 - cg],
    "second_frame": [t4 - t3, c4 - c3],
    "first_status": [t5 - t4, c5 - c4],
    "second_status": [t6 - t5, c6 - c5],
    "lazy_modules": len(after_lazy - before),
    "first_frame_modules": len(after_first - after_lazy),
    "first_frame_packages": top(after_first - after_lazy),
}))
"""


class _Connections(BaseHTTPRequestHandler):
    """@connections POST/DELETE/GET stub: accepts everything."""

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_DELETE = do_POST

    def log_message(self, *args):
        pass


def _wait_port(port: int, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


def first_frame(base_env: dict, runs: int) -> list[dict]:
    port = free_port()
    moto = subprocess.Popen(
        [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=base_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    gateway = ThreadingHTTPServer(("127.0.0.1", 0), _Connections)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    try:
        _wait_port(port)
        env = dict(base_env)
        env["CSMS_DYNAMODB_ENDPOINT"] = f"http://127.0.0.1:{port}"
        env["CSMS_WS_MANAGEMENT_ENDPOINT"] = f"http://127.0.0.1:{gateway.server_address[1]}"
        results = []
        for i in range(runs):
            connection_id = f"bench{i:04d}"
            setup = subprocess.run(
                [PY, "-c", _SETUP, connection_id], cwd=_env.ROOT, env=env, capture_output=True, text=True, check=False
            )
            if setup.returncode != 0 or '"statusCode": 200' not in setup.stdout:
                raise RuntimeError(f"setup failed:\n{setup.stdout}\n{setup.stderr[-2000:]}")
            run = subprocess.run(
                [PY, "-c", _FIRST_FRAME, connection_id], cwd=_env.ROOT, env=env, capture_output=True, text=True, check=False
            )
            if run.returncode != 0:
                raise RuntimeError(f"first frame failed:\n{run.stderr[-2000:]}")
            results.append(json.loads(run.stdout.strip().splitlines()[-1]))
        return results
    finally:
        gateway.shutdown()
        moto.terminate()
        moto.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="fresh subprocesses per figure (default 7)")
    parser.add_argument("--no-first-frame", action="store_true", help="skip the moto-server first-frame measurement")
    parser.add_argument("--smoke", action="store_true", help="for `make test`: one subprocess per figure")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs = 1

    env = _env.lambda_env()
    env["PYTHONDONTWRITEBYTECODE"] = "0"
    env.pop("PYTHONPATH", None)
    # Bytecode caches are warm after the first run, as they are in a deployed package.
    wall_ms("import app", env)

    baseline = [wall_ms("pass", env) for _ in range(args.runs)]
    imports = [wall_ms("import app", env) for _ in range(args.runs)]
    base_ms, app_ms = statistics.median(baseline), statistics.median(imports)
    cost = app_ms - base_ms

    print(f"Cold import of app.py (fresh `{os.path.basename(PY)}` subprocesses, Lambda env, median of {args.runs})")
    print()
    print(f"  python -c 'pass'        {base_ms:8.1f} ms")
    print(f"  python -c 'import app'  {app_ms:8.1f} ms")
    print(f"  import app costs        {cost:8.1f} ms   target ≤{TARGET_MS:.0f} ms   {'PASS' if cost <= TARGET_MS else 'FAIL'}")

    inproc = [json.loads(_run(_INPROC, env).stdout) for _ in range(args.runs)]
    in_wall = statistics.median(r[0] for r in inproc) * 1000
    in_cpu = statistics.median(r[1] for r in inproc) * 1000
    print(f"  in-process `import app`  {in_wall:8.1f} ms wall, {in_cpu:.1f} ms CPU (no interpreter start/teardown; what Lambda init pays)"
          f"   {'PASS' if in_wall <= TARGET_MS else 'FAIL'}")
    print(f"  (this host: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}: wall figures are inflated when it is busy)")

    samples = [importtime(env) for _ in range(args.runs)]
    modules = {name for s in samples for name in s}
    table = []
    for name in modules:
        cum = statistics.median(s[name][1] for s in samples if name in s)
        own = statistics.median(s[name][0] for s in samples if name in s)
        depth = min(s[name][2] for s in samples if name in s)
        table.append((cum, own, depth, name))
    table.sort(reverse=True)
    total_app = next((c for c, _, _, n in table if n == "app"), 0)
    print()
    print(f"-X importtime, top 15 cumulative (median µs; 'import app' itself = {total_app / 1000:.1f} ms under importtime)")
    print(f"  {'cumulative ms':>13} {'self ms':>8} {'depth':>5}  module")
    for cum, own, depth, name in table[:15]:
        print(f"  {cum / 1000:>13.1f} {own / 1000:>8.1f} {depth:>5}  {'  ' * depth}{name}")
    top_level = [row for row in table if row[2] == 1]
    print()
    print("  direct imports of app.py and chalicelib's top-level modules (cumulative ms):")
    for cum, _own, _depth, name in sorted(top_level, reverse=True)[:8]:
        print(f"  {cum / 1000:>13.1f}          {name}")

    if not args.no_first_frame:
        runs = 1 if args.smoke else max(3, args.runs // 2)
        results = first_frame(env, runs)

        def med(key: str, i: int) -> float:
            return statistics.median(r[key][i] for r in results) * 1000

        print()
        print(f"First frame after `import app` (fresh subprocess; DynamoDB = moto server, @connections = stub; median of {runs})")
        print(f"  {'stage':<58} {'wall ms':>8} {'cpu ms':>7}")
        print(f"  {'import app (in-process, no -X importtime)':<58} {med('import_app', 0):>8.1f} {med('import_app', 1):>7.1f}")
        lazy = f"+ import chalicelib.protocol.router, .v16 ({results[0]['lazy_modules']} modules)"
        print(f"  {lazy:<58} {med('lazy_imports', 0):>8.1f} {med('lazy_imports', 1):>7.1f}")
        first = f"+ first Heartbeat, cold cache ({results[0]['first_frame_modules']} new modules)"
        print(f"  {first:<58} {med('first_frame', 0):>8.1f} {med('first_frame', 1):>7.1f}")
        print(f"  {'    of which station_of: botocore client + GetItem':<58} {med('first_lookup', 0):>8.1f} {med('first_lookup', 1):>7.1f}")
        print(f"  {'    of which handle + send: boto3 + @connections client':<58} {med('first_handle_send', 0):>8.1f} {med('first_handle_send', 1):>7.1f}")
        print(f"  {'+ second Heartbeat, warm':<58} {med('second_frame', 0):>8.1f} {med('second_frame', 1):>7.1f}")
        print(f"  {'+ first StatusNotification (warm cache, first EventItem use)':<58} {med('first_status', 0):>8.1f} {med('first_status', 1):>7.1f}")
        print(f"  {'+ second StatusNotification':<58} {med('second_status', 0):>8.1f} {med('second_status', 1):>7.1f}")
        total = med("import_app", 0) + med("lazy_imports", 0) + med("first_frame", 0)
        print(f"  {'= import to first answer sent':<58} {total:>8.1f}")
        print(f"  packages first imported by the first frame: {', '.join(results[0]['first_frame_packages'])}")
        print("  (first/second frame wall time includes two local HTTP round trips: GetItem to moto, POST to @connections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
