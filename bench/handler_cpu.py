"""CPU time per frame of our pipeline (router.handle_frame) vs the ocpp library's unpack + validate.

    python -m bench.handler_cpu [--iterations N] [--runs R] [--profile]

Storage I/O is excluded by replacing the port operations the domain calls (records.advance,
records.put_status, ...) with no-ops: everything of ours before them (frame decoding, schema
validation, timestamp parsing, meter normalisation, the domain's values, answer encoding) is
measured. A second, informational row per message stubs only the wire (botocore's _make_api_call),
so the adapters' PynamoDB item construction, serialisation and transaction building are counted
too. The target (ours <= 2x the library) applies to the first row.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from unittest import mock

from bench import _env

_env.apply()

TARGET_RATIO = 2.0
MESSAGES = {
    "Heartbeat": _env.frame("heartbeat"),
    "StatusNotification": _env.frame("status_notification"),
    "MeterValues": _env.frame("meter_values", TXID=42),
}
# Every storage operation the three handlers reach (read from chalicelib/domain/*.py), at the ports
# (the DynamoDB adapters), so the stubs sit where storage starts, as before the ports step they sat
# on the storage functions the domain called:
# StatusNotification -> station_events.status -> aggregates.change (reads the live record, then one
#                       transaction; None here = "unchanged") -> records port put_status
# MeterValues        -> charging.meter_values -> records port advance (one conditional UpdateItem;
#                       here the reading counted, the previous one in the same 15-minute interval: the
#                       common path, raw samples not kept, ADR 0019) -> record_samples otherwise
# Heartbeat          -> nothing.
_RECORDS = "chalicelib.storage.adapters.records.DynamoRecords"
STORAGE_FUNCTIONS = {
    "chalicelib.domain.aggregates.change": None,
    f"{_RECORDS}.put_status": None,
    f"{_RECORDS}.advance": lambda self, org_id, station_id, advance: advance.at,
    f"{_RECORDS}.record_samples": None,
}


@contextmanager
def storage_as_noops():
    with ExitStack() as stack:
        for target, answer in STORAGE_FUNCTIONS.items():
            stub = answer if callable(answer) else (lambda *a, _answer=answer, **k: _answer)
            stack.enter_context(mock.patch(target, stub))
        yield


@contextmanager
def wire_stubbed():
    """Only the network is replaced: PynamoDB and botocore client code up to the HTTP call still run."""
    import botocore.client

    def fake_call(self, operation, params):
        return {}

    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", fake_call):
        yield


def _per_frame_ns(fn, text: str, iterations: int) -> float:
    gc.collect()
    start = time.process_time_ns()
    for _ in range(iterations):
        fn(text)
    return (time.process_time_ns() - start) / iterations


def measure(fn, text: str, iterations: int, runs: int) -> float:
    """Median over `runs` of the mean CPU ns per call, after a warm-up."""
    for _ in range(max(200, iterations // 10)):
        fn(text)
    return statistics.median(_per_frame_ns(fn, text, iterations) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=3000, help="frames per run (default 3000)")
    parser.add_argument("--runs", type=int, default=7, help="runs per figure, the median is reported (default 7)")
    parser.add_argument("--profile", action="store_true", help="cProfile every row, not only the failing ones")
    parser.add_argument("--smoke", action="store_true", help="for `make test`: 100 frames x 1 run, no profiles")
    args = parser.parse_args(argv)
    if args.smoke:
        args.iterations, args.runs = 100, 1

    from ocpp.messages import _validate_payload, unpack

    from chalicelib.protocol.context import StationContext
    from chalicelib.protocol.router import handle_frame
    from chalicelib.protocol.v16 import ROUTES
    from chalicelib.wiring import install_dynamodb

    install_dynamodb()  # the real adapters: the stubs below replace only the storage functions they call
    ctx = StationContext("acme", "EVI00000013", "conn-bench")

    def ours(text: str):
        return handle_frame(ctx, text, ROUTES)

    def library(text: str):
        msg = unpack(text)
        _validate_payload(msg, "1.6")
        return msg

    rows = []
    failing = []
    for action, text in MESSAGES.items():
        lib_ns = measure(library, text, args.iterations, args.runs)
        with storage_as_noops():
            answer = ours(text)
            if not answer.startswith("[3,"):
                print(f"{action}: our pipeline did not answer with a CALLRESULT: {answer}", file=sys.stderr)
                return 1
            ours_ns = measure(ours, text, args.iterations, args.runs)
        with wire_stubbed():
            answer = ours(text)
            wire_ns = measure(ours, text, args.iterations, args.runs) if answer.startswith("[3,") else None
        ratio = ours_ns / lib_ns
        ok = ratio <= TARGET_RATIO
        rows.append((action, lib_ns, ours_ns, ratio, ok, wire_ns))
        if (not ok and not args.smoke) or args.profile:
            failing.append((action, text))

    print(f"Handler CPU per frame (time.process_time_ns, median of {args.runs} runs x {args.iterations} frames)")
    print("  library = ocpp.messages.unpack + _validate_payload(msg, '1.6')")
    print("  ours    = router.handle_frame(ctx, text, ROUTES), storage functions replaced by no-ops")
    print("  +serialize = ours with only botocore's _make_api_call stubbed (PynamoDB serialisation counted; info)")
    print()
    header = f"{'message':<20} {'library µs':>11} {'ours µs':>9} {'ratio':>7} {'target':>7} {'result':>6}   {'+serialize µs':>13} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for action, lib_ns, ours_ns, ratio, ok, wire_ns in rows:
        wire = f"{wire_ns / 1000:>13.1f} {wire_ns / lib_ns:>5.2f}x" if wire_ns else f"{'n/a':>13} {'':>6}"
        print(
            f"{action:<20} {lib_ns / 1000:>11.1f} {ours_ns / 1000:>9.1f} {ratio:>6.2f}x {'≤' + format(TARGET_RATIO, '.0f') + 'x':>7} "
            f"{'PASS' if ok else 'FAIL':>6}   {wire}"
        )
    print()
    overall = all(r[4] for r in rows)
    print(f"overall: {'PASS' if overall else 'FAIL'}")

    for action, text in failing:
        with storage_as_noops():
            profile(action, lambda t=text: ours(t), args.iterations)
    return 0


def profile(action: str, call, iterations: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(iterations):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(18)
    print()
    print(f"=== cProfile of ours for {action} ({iterations} frames, sorted by own time) ===")
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    print("\n".join(lines[start:]).rstrip())


if __name__ == "__main__":
    sys.exit(main())
