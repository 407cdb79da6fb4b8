"""DynamoDB requests per OCPP message, counted with botocore event hooks during a whole charger session.

    python -m bench.dynamodb_requests

A charger (tests.support.LambdaCharger: API Gateway events into app.py's handlers) runs a session
against moto with the demo seed. Every botocore client created in the process gets a
'before-call.dynamodb' handler (one API call, whatever its retries) and a 'before-send.dynamodb'
handler (HTTP attempts, to show retries), registered where the client is created
(botocore.session.Session.create_client, which PynamoDB's per-connection sessions and boto3 both
use). "cold" = the warm-container connection cache (connections._CACHE) cleared before the frame,
as on a freshly started Lambda; "warm" = the same container that saw the previous frames.
Targets (cold): $connect <= 4, Heartbeat <= 1, StatusNotification <= 3, MeterValues <= 2.
$connect on the short URL /ocpp/<id>: the identifier's claim (GetItem), the station with its live record
(one BatchGetItem: ADR 0029; two GetItems before), the take-over (UpdateItem) and the transaction; a URL
naming the organization skips the claim.

StatusNotification was <= 2 (connection GetItem + one BatchWriteItem) until the dashboard's live
counters (docs/adr/0003-aggregates.md): a point's status change now moves its group's counters, which
needs the connector's previous status and the station's group. They come from the station's live
record (one consistent GetItem), and the event, the connector status, the live record and the group
counter are written in one TransactWriteItems conditioned on the record's revision, so a retried frame
or a racing $disconnect can never count twice. A frame that changes nothing countable (same status,
a replay) writes the BatchWriteItem as before. $connect and $disconnect gain the same GetItem and
move the station's points in and out of Offline inside their own transaction; StopTransaction stays
at two requests (one BatchGetItem of transaction, station and organization; one TransactWriteItems
that also ADDs the roll-ups) plus Authorize.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from bench import _env
from bench.request_hooks import RequestCounter, hooked

_env.apply()

TARGETS = {"$connect": 4, "Heartbeat": 1, "StatusNotification": 3, "StatusNotification (new status)": 3, "MeterValues": 2}


def run_session(counter: RequestCounter) -> list[tuple[str, str, Counter, int, str]]:
    from chalicelib.domain import connections
    from tests.support import LambdaCharger

    charger = LambdaCharger("EVI00000013")
    rows: list[tuple[str, str, Counter, int, str]] = []

    def step(label: str, cache: str, action, describe=lambda r: ""):
        if cache == "cold":
            connections._CACHE.clear()
        counter.reset()
        result = action()
        rows.append((label, cache, counter.calls, counter.attempts, describe(result)))
        return result

    def answer(r):
        if r is None:
            return ""
        if r[0] == 4:
            return f"CALLERROR {r[2]}"
        text = str(r[2])
        return text if len(text) <= 48 else text[:45] + "..."

    step("$connect", "cold", charger.connect, lambda r: f"status {r['statusCode']}")
    step("BootNotification", "warm", lambda: charger.frame("boot_notification"), answer)
    step("Heartbeat", "cold", lambda: charger.frame("heartbeat"), answer)
    step("Heartbeat", "warm", lambda: charger.frame("heartbeat", **{"hb-1": "hb-2"}), answer)
    step("StatusNotification", "cold", lambda: charger.frame("status_notification"), answer)
    step(
        "StatusNotification",
        "warm",
        lambda: charger.frame("status_notification", **{"st-1": "st-2", "10:00:00Z": "10:00:05Z"}),
        answer,
    )
    step(
        "StatusNotification (new status)",
        "warm",
        lambda: charger.frame("status_notification", **{"st-1": "st-3", "10:00:00Z": "10:00:09Z", '"Charging"': '"Available"'}),
        answer,
    )
    step("Authorize", "warm", lambda: charger.frame("authorize"), answer)
    start = step("StartTransaction", "warm", lambda: charger.frame("start_transaction"), answer)
    tx = start[2]["transactionId"]
    # The session started at 10:00: readings before 10:15 stay in the session's first sample interval,
    # the one at 10:30 opens a new one and also stores its raw samples (ADR 0019: once per 15 minutes).
    first = {"10:15:00Z": "10:14:00Z"}
    step("MeterValues", "cold", lambda: charger.frame("meter_values", TXID=tx, **first), answer)
    later = {"mv-1": "mv-2", "10:15:00Z": "10:14:30Z", "1002.5": "1003.0"}
    step("MeterValues", "warm", lambda: charger.frame("meter_values", TXID=tx, **later), answer)
    step("MeterValues replay", "warm", lambda: charger.frame("meter_values", TXID=tx, **later), answer)
    interval = {"mv-1": "mv-3", "10:15:00Z": "10:30:00Z", "1002.5": "1005.0"}
    step("MeterValues (new sample interval)", "warm", lambda: charger.frame("meter_values", TXID=tx, **interval), answer)
    step("StopTransaction", "warm", lambda: charger.frame("stop_transaction", TXID=tx), answer)
    step("StopTransaction replay", "warm", lambda: charger.frame("stop_transaction", TXID=tx), answer)
    step("$disconnect", "warm", charger.disconnect)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="for `make test`: the same single session (it is already small)")
    parser.parse_args(argv)
    from moto import mock_aws

    from chalicelib.observability import logger

    logger.setLevel("WARNING")  # the session's INFO lines would interleave with the table
    counter = RequestCounter()
    with hooked(counter), mock_aws():
        from chalicelib.domain import connections
        from chalicelib.seed import seed_demo
        from chalicelib.storage.base import rebind
        from chalicelib.storage.tables import create_all_tables
        from chalicelib.wiring import install_dynamodb

        install_dynamodb()  # the seed provisions through the store's ports
        rebind()
        create_all_tables()
        seed_demo()
        connections._CACHE.clear()
        rows = run_session(counter)
    connections._CACHE.clear()

    operations = sorted({op for row in rows for op in row[2]})
    print("DynamoDB requests per message (botocore 'before-call.dynamodb' hooks on every client; moto, demo seed)")
    print("  cold = connection cache cleared before the frame (fresh Lambda); warm = same container")
    print()
    header = f"{'message':<32} {'cache':<5} {'total':>5} {'HTTP':>4}  " + " ".join(operations)
    header += f"  {'target':>6} {'result':>6}  answer"
    print(header)
    print("-" * len(header))
    verdicts = []
    for label, cache, calls, attempts, note in rows:
        total = sum(calls.values())
        target = TARGETS.get(label)
        if target is not None:
            ok = total <= target
            verdict = ("PASS" if ok else "FAIL") if cache == "cold" else ("ok" if ok else "over")
            if cache == "cold":
                verdicts.append(ok)
            target_text = f"≤{target}"
        else:
            verdict, target_text = "", ""
        cells = " ".join(f"{(calls.get(op) or '.'):>{len(op)}}" for op in operations)
        print(f"{label:<32} {cache:<5} {total:>5} {attempts:>4}  {cells}  {target_text:>6} {verdict:>6}  {note}")
    print()
    print("  HTTP = attempts sent (before-send); more than total means botocore retried.")
    print(f"overall (cold rows against targets): {'PASS' if all(verdicts) else 'FAIL'}")
    broken = [label for label, _cache, _calls, _attempts, note in rows if note.startswith("CALLERROR")]
    if broken:
        # The counts of a session that went wrong measure the wrong path: the bench itself is broken.
        print(f"broken session: CALLERROR answered to {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
