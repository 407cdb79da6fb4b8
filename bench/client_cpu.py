"""CPU our process spends per DynamoDB request on the client side (PynamoDB -> botocore -> HTTP and back).

    python -m bench.client_cpu [--requests N] [--runs R] [--profile OP] [--smoke]

moto runs in a process of its own (devstack.aws.AwsProcess), so this process's CPU (time.process_time: user +
system, every thread) is only the client's: PynamoDB's model and connection, botocore's serialisation,
endpoint resolution, event hooks, signing, the HTTP exchange and response parsing. Each operation runs N
times per run, R runs, alternating "before" (botocore's own SigV4 signer: chalicelib.botocore_speed
uninstalled from the client) and "after" (the shipped path), so both see the same load; the median CPU per
request of each is printed, with the wall time (which the machine's load moves, CPU hardly) and moto's own
CPU per request (its `stats` control). `--profile OP` prints a cProfile (CPU clock) of that operation.
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


def before_and_after(call: Callable[[], object], requests: int, runs: int, endpoint: str, kind: str) -> dict:
    """Median figures of botocore's signer ("before") and ours ("after"), runs interleaved."""
    from chalicelib import botocore_speed
    from chalicelib.storage.base import connection

    client = connection().client
    figures: dict[str, list[tuple[float, float, float]]] = {"before": [], "after": []}
    for _ in range(runs):
        for label in figures:
            (botocore_speed.uninstall if label == "before" else botocore_speed.install)(client)
            figures[label].append(measure(call, requests, endpoint, kind))
    return {label: [statistics.median(column) for column in zip(*rows, strict=True)] for label, rows in figures.items()}


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
        print(f"client CPU per DynamoDB request, before (botocore's signer) / after; {args.requests} requests x"
              f" {args.runs} runs each, interleaved, median; load average {os.getloadavg()[0]:.2f}")
        print(f"{'operation':<20} {'CPU ms before':>13} {'after':>7} {'saved':>6} {'wall ms before':>14} {'after':>7}"
              f" {'moto CPU ms':>11}")
        for kind, call in calls.items():
            f = before_and_after(call, args.requests, args.runs, moto.endpoint, kind)
            (cpu0, wall0, _), (cpu1, wall1, server) = f["before"], f["after"]
            print(f"{kind:<20} {cpu0 * 1000:>13.3f} {cpu1 * 1000:>7.3f} {(1 - cpu1 / cpu0) * 100:>5.1f}%"
                  f" {wall0 * 1000:>14.3f} {wall1 * 1000:>7.3f} {server * 1000:>11.3f}")
        if args.profile:
            print(profile(calls[args.profile], args.requests))
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
