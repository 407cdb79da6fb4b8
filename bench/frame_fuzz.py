"""10,000 generated OCPP-J frames over real WebSockets into the local stack; no InternalError, no gateway error.

python -m bench.frame_fuzz [--frames 10000] [--chargers 4] [--seed 1] [--smoke]

A LocalStack (moto, the API-Gateway-faithful WebSocket gateway, app.py's handlers) runs in-process on
free 127.0.0.1 ports with the demo seed. Each charger (a demo station, `websockets` asyncio client)
boots, opens a transaction, then sends its share of frames: the canned frames of tests/events/ocpp16
either as they are or broken in one way (an odd value, a missing or extra field, deep nesting, a
wrong MessageTypeId or UniqueId, an unknown action, cut-off text). After each frame a Heartbeat with
a fresh id marks the end of its answers, since CALLRESULT and CALLERROR frames get none.
Prints the answers by kind and error code; PASS (exit 0) when no InternalError, no gateway error, no
disconnect, no unanswered CALL and no CALLRESULT to a frame that is not a CALL (MessageTypeId 2.0)
was seen; FAIL (exit 1) otherwise, with the first frame of each failure and action.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench._env import FRAMES, frame
from tests.fuzz import odd_values as odd

STATIONS = ["EVI00000013", "EVI00000014", "EVI00000015", "EVI00000016", "EVI00000017", "EVI00000018"]
FRAME_LIMIT = 32 * 1024  # API Gateway closes the connection (1009) above this: not what we test
FAILURES = ("InternalError", "gateway error", "disconnect", "no answer to a CALL", "CALLRESULT to a non-CALL")
_NESTING = re.compile(r'(?:\{"a":|\[){20,}|[}\]]{20,}')
TEMPLATES = sorted(p.stem for p in FRAMES.glob("*.json"))
ODD_POOL = odd.ODD_NUMBERS + odd.ODD_STRINGS + odd.ODD_SCALARS + odd.ODD_DECIMALS + odd.ODD_TIMESTAMPS


class Generator:
    """Frames from the canned ones, each broken in at most one way, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.count = 0

    def next(self) -> tuple[str, str]:
        """(kind of mutation, frame text) under the gateway's frame size limit."""
        while True:
            kind, text = self._one()
            if len(text.encode()) < FRAME_LIMIT:
                return kind, text

    def _one(self) -> tuple[str, str]:
        rng = self.rng
        self.count += 1
        data = json.loads(frame(rng.choice(TEMPLATES), TXID=rng.choice([1, 2, 3, 99])))
        data[1] = f"f{self.count}"
        kind = rng.choice(["valid", "odd", "odd", "odd", "remove", "extra", "deep", "type", "id", "action", "cut"])
        payload = data[3]
        where = rng.choice(list(odd.paths(payload)))
        if kind == "odd":
            data[3] = odd.set_at(payload, where, rng.choice(ODD_POOL))
        elif kind == "remove" and where:
            odd.remove_at(payload, where)
        elif kind == "extra" and isinstance(odd.get_at(payload, where), dict):
            odd.get_at(payload, where)["x" + str(rng.randrange(100))] = rng.choice(ODD_POOL)
        elif kind == "type":
            data[0] = rng.choice([2.0, "2", True, 3, 4, 5, -2, 2**64, None])
        elif kind == "id":
            data[1] = rng.choice(["", "x" * 37, 17, None, ["f"], "-1"])
        elif kind == "action":
            data[2] = rng.choice(["FooBar", "Reset", "heartbeat", "", 7, None])
        text = json.dumps(data)
        if kind == "deep" and where:
            mark = '"\\u0000deep"'
            text = json.dumps(odd.set_at(data, (3, *where), "\u0000deep"))
            text = text.replace(mark, odd.deep(rng.choice([50, 900, 1_000, 5_000]), rng.choice("[{")))
        elif kind == "cut":
            text = text[: rng.randrange(len(text))]
        return kind, text


class Tally:
    def __init__(self) -> None:
        self.answers: Counter[str] = Counter()
        self.by_mutation: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.frames = 0

    def note(self, sent: str, mutation: str, replies: list[str]) -> None:
        self.frames += 1
        self.by_mutation[mutation] += 1
        call = _is_call(sent)
        if not replies and call:
            self.fail("no answer to a CALL", sent)
        for text in replies:
            label = _label(text)
            self.answers[label] += 1
            if label in ("CALLERROR InternalError", "gateway error"):
                self.fail(label.removeprefix("CALLERROR "), sent)
            elif label == "CALLRESULT" and not call:  # e.g. MessageTypeId 2.0 or "2"
                self.fail("CALLRESULT to a non-CALL", sent)

    def fail(self, what: str, sent: str) -> None:
        """Count a failure; keep the first frame of each failure and action as its example."""
        self.failures[what] += 1
        action = re.match(r'\[[^,]*,[^,]*, *"(\w+)"', sent)
        key = f"{what} ({action.group(1)})" if action else what
        self.examples.setdefault(key, _NESTING.sub(lambda m: f"<{len(m.group(0))} chars of nesting>", sent)[:300])

    @property
    def passed(self) -> bool:
        return not self.examples


def _is_call(text: str) -> bool:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, list) and len(data) == 4 and type(data[0]) is int and data[0] == 2


def _label(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return "unreadable answer"
    if isinstance(data, dict) and data.get("message") == "Internal server error":
        return "gateway error"
    if isinstance(data, list) and data and data[0] == 3:
        return "CALLRESULT"
    if isinstance(data, list) and len(data) == 5 and data[0] == 4:
        return f"CALLERROR {data[2]}"
    return "other answer"


async def _exchange(ws, text: str, marker: int) -> list[str]:
    """Send one frame and a marking Heartbeat; the answers before the marker's are the frame's."""
    mark = f"hb-{marker}"
    await ws.send(text)
    await ws.send(json.dumps([2, mark, "Heartbeat", {}]))
    replies = []
    while True:
        reply = await asyncio.wait_for(ws.recv(), timeout=30)
        if f'"{mark}"' in reply[:40]:
            return replies
        replies.append(reply)


async def _charger(url: str, station: str, frames: list[tuple[str, str]], tally: Tally) -> None:
    import websockets

    ws = None
    for index, (mutation, text) in enumerate(frames):
        if ws is None:
            ws = await websockets.connect(f"{url}/{station}", subprotocols=["ocpp1.6"], max_size=None)
            for name in ("boot_notification", "start_transaction"):
                await _exchange(ws, frame(name), -1)
        try:
            tally.note(text, mutation, await _exchange(ws, text, index))
        except (websockets.ConnectionClosed, TimeoutError):
            tally.fail("disconnect", text)
            await ws.close()
            ws = None
    if ws is not None:
        await ws.close()


async def _run(url: str, frames: int, chargers: int, seed: int) -> Tally:
    generator = Generator(seed)
    batch = [generator.next() for _ in range(frames)]
    tally = Tally()
    shares = [batch[i::chargers] for i in range(chargers)]
    await asyncio.gather(*(_charger(url, STATIONS[i], share, tally) for i, share in enumerate(shares)))
    return tally


def report(tally: Tally, seconds: float) -> None:
    print(f"{tally.frames} frames in {seconds:.1f} s ({tally.frames / max(seconds, 1e-9):.0f}/s)")
    print(f"{'answer':<44}{'count':>8}")
    for label, count in sorted(tally.answers.items()):
        print(f"{label:<44}{count:>8}")
    print(f"{'failure':<44}{'count':>8}")
    for what in FAILURES:
        print(f"{what:<44}{tally.failures[what]:>8}")
    print("frames by mutation: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.by_mutation.items())))
    for what, sent in tally.examples.items():
        print(f"first frame with {what}: {sent}")
    print("PASS" if tally.passed else "FAIL", "(target: none of the failures above)")


def _quiet() -> None:
    """Only warnings from the stack: the counts are the output (the refusals are logged at INFO)."""
    import logging
    import os

    # The app logs to stdout (Powertools): its failures would interleave with the table, which names them.
    os.environ["POWERTOOLS_LOG_LEVEL"] = os.environ.get("BENCH_LOG_LEVEL", "CRITICAL")
    logging.basicConfig(level=logging.WARNING)
    for name in ("devstack", "werkzeug", "websockets"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--chargers", type=int, default=4, choices=range(1, len(STATIONS) + 1))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="200 frames, 2 chargers: for `make test`")
    args = parser.parse_args(argv)
    if args.smoke:
        args.frames, args.chargers = 200, 2
    _quiet()
    from devstack.stack import LocalStack

    with tempfile.TemporaryDirectory() as data_dir, LocalStack(data_dir=Path(data_dir), snapshot=False, schedule_interval=3600) as stack:
        started = time.perf_counter()
        tally = asyncio.run(_run(stack.ws_url, args.frames, args.chargers, args.seed))
        report(tally, time.perf_counter() - started)
    return 0 if tally.passed else 1


if __name__ == "__main__":
    sys.exit(main())
