"""CPU our process spends per DynamoDB request on the client side (PynamoDB -> botocore -> HTTP and back).

    python -m bench.client_cpu [--requests N] [--runs R] [--profile OP] [--smoke]

moto runs in a process of its own (devstack.aws.AwsProcess), so this process's CPU (time.process_time: user +
system, every thread) is only the client's: PynamoDB's model and connection, botocore's serialisation,
endpoint resolution, event hooks, signing, the HTTP exchange and response parsing. Each operation runs N
times per run, R runs of each variant (VARIANTS: botocore as shipped, what Lambda runs, what the local stack
runs), interleaved so all see the same load; the median CPU per request of each is printed, with the wall
time (which the machine's load moves, CPU hardly) and moto's own CPU per request (its `stats` control). `--profile OP` prints a cProfile (CPU clock) of that operation.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from collections.abc import Callable

from bench import _env

_env.apply()

NAME = "bench-client-cpu"
STATION = "BENCH#S1"


def operations() -> dict[str, Callable[[], object]]:
    """The four request kinds the handlers make most, on real models of the app's tables."""
    from chalicelib.storage.base import transact_write
    from chalicelib.storage.models import ConnectorStatusItem, CounterItem

    counter = CounterItem.get(NAME)

    def update() -> None:
        counter.update(actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists())

    def query() -> None:
        list(ConnectorStatusItem.query(STATION, ConnectorStatusItem.sk.startswith("CP#"), limit=2))

    def transact() -> None:
        with transact_write() as transaction:
            transaction.update(counter, actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists())
            transaction.condition_check(ConnectorStatusItem, STATION, "CP#0001", ConnectorStatusItem.pk.exists())

    return {
        "GetItem": lambda: CounterItem.get(NAME),
        "UpdateItem": update,
        "Query": query,
        "TransactWriteItems": transact,
    }


def seed() -> None:
    from datetime import UTC, datetime

    from chalicelib.storage.models import ConnectorStatusItem, CounterItem

    CounterItem(NAME, value=0).save()
    for connector in (0, 1, 2):
        ConnectorStatusItem(STATION, f"CP#{connector:04d}", connector_id=connector, status="Available",
                            error_code="NoError", timestamp=datetime(2026, 1, 1, tzinfo=UTC)).save()


def measure(call: Callable[[], object], requests: int, endpoint: str, kind: str) -> tuple[float, float, float]:
    """(client CPU, wall, moto CPU) seconds per request over `requests` calls."""
    from devstack.aws import control

    control(endpoint, "stats")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(requests):
        call()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return cpu / requests, wall / requests, control(endpoint, "stats")["cpu"].get(kind, 0.0) / requests


VARIANTS = {
    "botocore": "botocore as shipped: its SigV4 signer, its urllib3 HTTP session",
    "chalicelib": "what runs in Lambda: chalicelib.botocore_speed's signer",
    "devstack": "the local stack: that signer + devstack.loopback's transport to moto",
}


def variants(call: Callable[[], object], requests: int, runs: int, endpoint: str, kind: str) -> dict:
    """Median (client CPU, wall, moto CPU) of each variant, their runs interleaved so all see the same load."""
    from chalicelib import botocore_speed
    from chalicelib.storage.base import connection
    from devstack.loopback import Transport

    client, transport = connection().client, Transport()
    figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in VARIANTS}
    for _ in range(runs):
        for name in VARIANTS:
            (botocore_speed.uninstall if name == "botocore" else botocore_speed.install)(client)
            (transport.install if name == "devstack" else transport.uninstall)(client.meta.events)
            figures[name].append(measure(call, requests, endpoint, kind))
    transport.uninstall(client.meta.events)
    botocore_speed.install(client)
    return {name: [statistics.median(column) for column in zip(*rows, strict=True)] for name, rows in figures.items()}


class Replay:
    """Each operation's real answer from moto, recorded once and then given back without the wire: the
    client's CPU before and after the HTTP exchange alone (no socket, no other process: the steadiest figure)."""

    _ID = "bench-client-cpu-replay"

    def __init__(self) -> None:
        from devstack.loopback import Transport

        self.transport = Transport()
        self.answers: dict[bytes, tuple[int, dict, bytes]] = {}

    def record(self, request, **_):
        answer = self.transport.send(request)
        self.answers[request.headers["X-Amz-Target"]] = (answer.status_code, dict(answer.headers), answer.content)
        return answer

    def replay(self, request, **_):
        from botocore.awsrequest import AWSResponse

        from devstack.loopback import _Body

        status, headers, body = self.answers[request.headers["X-Amz-Target"]]
        return AWSResponse(request.url, status, headers, _Body(body))

    def around(self, client, handler, calls) -> None:
        client.meta.events.register_first("before-send.dynamodb", handler, unique_id=self._ID)
        try:
            for call in calls:
                call()
        finally:
            client.meta.events.unregister("before-send.dynamodb", unique_id=self._ID)


def without_wire(calls: dict[str, Callable[[], object]], requests: int, runs: int) -> None:
    from chalicelib import botocore_speed
    from chalicelib.storage.base import connection

    client, replay = connection().client, Replay()
    replay.around(client, replay.record, calls.values())
    print(f"\nwithout the wire (moto's recorded answers replayed in a before-send handler; {requests} requests x {runs}"
          " runs, interleaved, median): client CPU ms per request")
    print(f"{'operation':<20} {'botocore':>10} {'chalicelib':>10} {'saved':>7}")
    for kind, call in calls.items():
        figures: dict[str, list[float]] = {"botocore": [], "chalicelib": []}
        client.meta.events.register_first("before-send.dynamodb", replay.replay, unique_id=Replay._ID)
        try:
            for _ in range(runs):
                for name, rows in figures.items():
                    (botocore_speed.uninstall if name == "botocore" else botocore_speed.install)(client)
                    cpu0 = time.process_time()
                    for _ in range(requests):
                        call()
                    rows.append((time.process_time() - cpu0) / requests * 1000)
        finally:
            client.meta.events.unregister("before-send.dynamodb", unique_id=Replay._ID)
            botocore_speed.install(client)
        before, after = statistics.median(figures["botocore"]), statistics.median(figures["chalicelib"])
        print(f"{kind:<20} {before:>10.3f} {after:>10.3f} {(1 - after / before) * 100:>6.1f}%")


def profile(call: Callable[[], object], requests: int) -> str:
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "tottime")).print_stats(int(os.environ.get("LINES", "40")))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per run (default 500)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure, the median is printed (default 5)")
    parser.add_argument("--profile", metavar="OP", help="cProfile (CPU clock) of one operation, e.g. GetItem")
    parser.add_argument("--smoke", action="store_true", help="for the tests: 20 requests x 1 run")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.runs = 20, 1

    from devstack.aws import AwsProcess, aws_environment, provision

    moto = AwsProcess()
    moto.start()
    try:
        os.environ.update(aws_environment(moto.endpoint))
        from chalicelib.storage.base import rebind

        rebind()
        provision(moto.endpoint)
        seed()
        calls = operations()
        for call in calls.values():  # warm: first-use costs (client creation, model loading) are not per request
            call()
        print(f"client CPU per DynamoDB request (ms; {args.requests} requests x {args.runs} runs of each variant,"
              f" interleaved, median; load average {os.getloadavg()[0]:.2f})")
        for name, text in VARIANTS.items():
            print(f"  {name:<10} = {text}")
        names = list(VARIANTS)
        print(f"{'operation':<20}" + "".join(f" {name:>10}" for name in names) + "   saved (chalicelib, devstack)"
              f"   wall ms ({', '.join(names)})   moto CPU ms")
        for kind, call in calls.items():
            f = variants(call, args.requests, args.runs, moto.endpoint, kind)
            cpu = [f[name][0] * 1000 for name in names]
            wall = ", ".join(f"{f[name][1] * 1000:.2f}" for name in names)
            print(f"{kind:<20}" + "".join(f" {c:>10.3f}" for c in cpu)
                  + f"   {(1 - cpu[1] / cpu[0]) * 100:>5.1f}% {(1 - cpu[2] / cpu[0]) * 100:>5.1f}%"
                  + f"   {wall}   {f['devstack'][2] * 1000:.3f}")
        without_wire(calls, args.requests * 3, args.runs + 2)
        if args.profile:
            print(profile(calls[args.profile], args.requests))
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
