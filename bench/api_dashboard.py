"""Dashboard and station-list latency over 10,000 stations, and DynamoDB reads per dashboard request.

python -m bench.api_dashboard [--stations 10000] [--sessions 1000000] [--transactions 1000000] [--requests 50]

An organization (Europe/Helsinki) with a realistic tree (root -> 10 regions -> 10 sites = 111 groups,
the stations spread over the 100 sites, two points each) is seeded into the local stack (`devstack`,
in-process, moto behind HTTP on 127.0.0.1). The stations' live records and group counters are built
with `domain.aggregates.contribution`, the sessions' roll-ups with `domain.rollups.session_increments`
(the arithmetic StopTransaction applies), summed in memory and written as whole items. Sessions start
uniformly over the last 30 days; each is also stored as a Completed transaction (--transactions caps
it). Bulk data goes straight into moto's in-memory tables, as a PutItem would store it but without its
checks: moto's own PutItem path alone takes 0.2 ms per item (over 5 more minutes for the 1.3 million
items here). Everything the routes read goes through HTTP, as in AWS.
At each session count (0, 10,000, then --sessions) GET /api/v1/dashboard and GET /api/v1/stations
(a page of 50) are timed over HTTP, and the DynamoDB requests, items and bytes one dashboard request
reads are counted with botocore hooks on every client (the approach of bench.dynamodb_requests).
Targets: p95 <= 100 ms for both, and the dashboard's requests and items the same at every session count.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta

from bench import request_hooks

ORG = "BENCH"
TZ = "Europe/Helsinki"
PASSWORD = "Bench-Password-42"
TARGET_MS = 100.0
HISTORY_DAYS = 30


class ReadCounter:
    """DynamoDB calls (before-call: one per API call, whatever its retries), items and response bytes (after-call)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.calls: Counter[str] = Counter()
        self.items = 0
        self.bytes = 0
        self.seconds = 0.0
        self._started = threading.local()

    def on_call(self, model=None, **_) -> None:
        self.calls[model.name] += 1
        self._started.at = time.perf_counter()

    def on_after(self, http_response=None, parsed=None, model=None, **_) -> None:
        self.seconds += time.perf_counter() - getattr(self._started, "at", time.perf_counter())
        parsed = parsed or {}
        if "Item" in parsed:
            self.items += 1
        self.items += int(parsed.get("Count") or 0)
        self.items += sum(len(v) for v in (parsed.get("Responses") or {}).values() if isinstance(v, list))
        self.bytes += len(getattr(http_response, "content", b"") or b"")


# --- seeding ---------------------------------------------------------------------------------------------
class Moto:
    """Whole items straight into moto's in-memory tables (what a PutItem would store, minus the checks)."""

    def __init__(self, region: str | None = None) -> None:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        from chalicelib.settings import get_settings

        self.backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][region or get_settings().region]
        self.written = Counter()

    def put(self, table_name: str, item: dict) -> None:
        from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

        from devstack.fast_dynamodb import invalidate

        table = self.backend.get_table(table_name)
        new = Item.__new__(Item)
        new.hash_key = DynamoType(item[table.hash_key_attr])
        new.range_key = DynamoType(item[table.range_key_attr]) if table.range_key_attr else None
        attrs = LimitedSizeDict.__new__(LimitedSizeDict)
        dict.update(attrs, {name: DynamoType(value) for name, value in item.items()})
        new.attrs = attrs
        if new.range_key is not None:
            table.items[new.hash_key][new.range_key] = new
        else:
            table.items[new.hash_key] = new
        invalidate(table, new.hash_key)  # past moto's write paths: tell the local stack's Query caches
        self.written[table_name.rsplit("-", 1)[-1]] += 1


def seed_fleet(moto: Moto, stations: int, rng: random.Random) -> dict[str, str]:
    """Organization, 111 groups, an admin, the stations with their live records and group counters."""
    from chalicelib.domain import aggregates
    from chalicelib.domain import provisioning as p
    from chalicelib.storage import aggregates as store
    from chalicelib.storage.models import ChargingGroupItem, GroupLiveItem, StationItem, StationLiveItem, station_key

    p.ensure_organization(ORG, "Bench", timezone=TZ)
    root = ChargingGroupItem(ORG, "root", name="Bench network", path="/root/", search="bench network")
    root.save()
    sites = []
    for r in range(10):
        region = ChargingGroupItem(ORG, f"r{r}", name=f"Region {r}", parent_id="root", path=f"/root/r{r}/", search=f"region {r}")
        region.save()
        for s in range(10):
            site = ChargingGroupItem(ORG, f"r{r}s{s}", name=f"Site {r}-{s}", parent_id=region.group_id,
                                     path=f"{region.path}r{r}s{s}/", search=f"site {r}-{s}")
            site.save()
            sites.append(site)
    p.create_operator(ORG, "bench-admin", PASSWORD, "bench@example.test", "Bench", "Admin", "admin", "root")
    weights = {"Available": 50, "Charging": 30, "SuspendedEV": 5, "Preparing": 4, "Finishing": 4, "Unavailable": 4, "Faulted": 3}
    counters: dict[str, Counter] = {}
    paths: dict[str, str] = {}
    created = datetime.now(UTC)
    for i in range(stations):
        site = sites[i % len(sites)]
        station_id = f"B{i:06d}"
        paths[station_id] = site.path
        item = StationItem(ORG, station_id, name=f"Bench {i}", group_id=site.group_id, group_path=site.path,
                           search=f"{station_id} bench {i}".lower(), registration="Accepted", point_count=2,
                           firmware_version="1.0", created_at=created, connected=rng.random() < 0.9)
        moto.put(StationItem.Meta.table_name, item.serialize())
        statuses = {str(c): rng.choices(list(weights), list(weights.values()))[0] for c in (1, 2)}
        live = aggregates.Live(site.group_id, 2, bool(item.connected), statuses)
        record = StationLiveItem(station_key(ORG, station_id), store.LIVE_SK, rev=1, **live.values())
        moto.put(StationLiveItem.Meta.table_name, record.serialize())
        counters.setdefault(site.group_id, Counter()).update(aggregates.contribution(live))
    for group_id, values in counters.items():
        fields = {name: int(values[name]) for name in aggregates.COUNTERS}
        moto.put(GroupLiveItem.Meta.table_name, GroupLiveItem(store.live_pk(ORG), group_id, **fields).serialize())
    return paths


class Sessions:
    """Past sessions, generated in a fixed order; their roll-ups kept summed in memory."""

    def __init__(self, paths: dict[str, str], now: datetime, rng: random.Random) -> None:
        self.paths = paths
        self.ids = sorted(paths)
        self.now = now
        self.rng = rng
        self.count = 0
        self.merged: dict = {}
        self.uses: dict = {}  # (station, connector) -> the point's latest use, as StopTransaction keeps it

    def add(self, moto: Moto, until: int, transactions_cap: int) -> float:
        from chalicelib.domain import rollups
        from chalicelib.storage import aggregates as store
        from chalicelib.storage.models import TransactionItem

        started = time.perf_counter()
        dirty = set()
        table = TransactionItem.Meta.table_name
        span = HISTORY_DAYS * 86400
        while self.count < until:
            self.count += 1
            station_id = self.rng.choice(self.ids)
            connector = self.rng.randint(1, 2)
            start = self.now - timedelta(seconds=self.rng.uniform(0, span))
            energy = float(self.rng.randint(1000, 40000))
            increments, use = rollups.session_increments(
                ORG, station_id, self.paths[station_id], connector, start, energy, TZ, self.now, self.uses.get((station_id, connector))
            )
            if use is not None:
                self.uses[(station_id, connector)] = use
            for inc in increments:
                key = inc.key
                dirty.add(key)
                if key in self.merged:
                    self.merged[key].merge(inc)
                else:
                    self.merged[key] = inc
            if self.count <= transactions_cap:
                moto.put(table, _transaction(self.count, station_id, connector, start, energy))
        for key in dirty:
            moto.put(*store.rollup_item(self.merged[key]))
        return time.perf_counter() - started


def _transaction(number: int, station_id: str, connector: int, start: datetime, energy: float) -> dict:
    from chalicelib.storage.models import TransactionItem

    begin = TransactionItem.started_at.serialize(start)
    end = TransactionItem.started_at.serialize(start + timedelta(minutes=90))
    meter = str(int(energy))
    return {
        "transaction_id": {"N": str(number)}, "org_id": {"S": ORG}, "station_id": {"S": station_id},
        "station_pk": {"S": f"{ORG}#{station_id}"}, "connector_id": {"N": str(connector)}, "id_tag": {"S": "BENCHTAG"},
        "id_tag_status": {"S": "Accepted"}, "started_at": {"S": begin}, "meter_start_wh": {"N": "0"},
        "last_register_wh": {"N": meter}, "last_sample_at": {"S": end}, "energy_wh": {"N": meter},
        "state": {"S": "Completed"}, "stopped_at": {"S": end}, "meter_stop_wh": {"N": meter},
    }


# --- measuring -------------------------------------------------------------------------------------------
def call(url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return answer.status, json.loads(answer.read() or b"null")


def timed(url: str, token: str, requests: int, counter: ReadCounter) -> tuple[list[float], list[float]]:
    """Round trips (ms), and the part of each spent inside DynamoDB calls (moto)."""
    call(url, token)  # warm-up
    times, in_dynamodb = [], []
    for _ in range(requests):
        counter.reset()
        started = time.perf_counter()
        status, _body = call(url, token)
        times.append((time.perf_counter() - started) * 1000)
        in_dynamodb.append(counter.seconds * 1000)
        assert status == 200, status
    return times, in_dynamodb


def reads(url: str, token: str, counter: ReadCounter) -> tuple[int, int, int, dict]:
    counter.reset()
    _status, body = call(url, token)
    return sum(counter.calls.values()), counter.items, counter.bytes, body


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--transactions", type=int, default=1_000_000, help="sessions also stored as transaction items")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per route and session count (200: ~15 min)")
    parser.add_argument("--smoke", action="store_true", help="for `make test`: 100 stations, 1,000 sessions, 3 requests")
    args = parser.parse_args(argv)
    if args.smoke:
        args.stations, args.sessions, args.transactions, args.requests = 100, 1_000, 1_000, 3

    import logging

    for name in ("devstack", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    counter = ReadCounter()
    # Not bench.dynamodb_requests: it sets the WebSocket Lambda's environment, with no REST routes.
    request_hooks.install(counter)
    levels = sorted({0, min(10_000, args.sessions), args.sessions})
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        from chalicelib.observability import logger
        from devstack.stack import LocalStack

        logger.setLevel("WARNING")
        with LocalStack(data_dir=tmp, seed=False, snapshot=False, schedule_interval=3600, table_prefix="csms-bench-dash-") as stack:
            moto = Moto()
            rng = random.Random(42)
            # moto keeps every item as Python objects in this process: with millions of them, the
            # collector's full passes (an emulator artifact: DynamoDB data is not in a Lambda's heap)
            # would dominate. Collection is off while seeding; the seeded objects are frozen after.
            gc.disable()
            started = time.perf_counter()
            paths = seed_fleet(moto, args.stations, rng)
            print(f"seeded {args.stations:,} stations in 100 sites under 10 regions in {time.perf_counter() - started:.1f} s")
            _status, login = call(f"{stack.http_url}/api/v1/auth/login", body={"username": "bench-admin", "password": PASSWORD})
            token = login["token"]
            sessions = Sessions(paths, datetime.now(UTC), rng)
            for level in levels:
                gc.disable()
                took = sessions.add(moto, level, args.transactions)
                gc.enable()
                gc.freeze()
                print(f"  {level:>9,} sessions: roll-ups and transactions written in {took:.1f} s "
                      f"(transactions table: {min(level, args.transactions):,} items)")
                dashboard = f"{stack.http_url}/api/v1/dashboard?days=30"
                requests, items, size, body = reads(dashboard, token, counter)
                dashboard_ms, dashboard_moto = timed(dashboard, token, args.requests, counter)
                stations_ms, stations_moto = timed(f"{stack.http_url}/api/v1/stations?limit=50", token, args.requests, counter)
                row = {
                    "sessions": level,
                    "dashboard": dashboard_ms,
                    "dashboard_moto": dashboard_moto,
                    "stations": stations_ms,
                    "stations_moto": stations_moto,
                    "requests": requests, "items": items, "kb": size / 1024,
                    "counted": sum(d["sessions"] for d in body["days"]), "last24": body["last_24_hours"],
                }
                rows.append(row)
    return report(rows, args)


def report(rows: list[dict], args) -> int:
    print()
    print(f"Local stack over HTTP, {args.requests} sequential requests each; dashboard = GET /api/v1/dashboard?days=30 "
          "(whole organization selected); stations = GET /api/v1/stations?limit=50")
    print("  'in moto' = p50 of the time spent inside DynamoDB calls (moto), the rest is the app and HTTP")
    header = (f"{'sessions':>10}  {'dashboard p50/p95/max ms':>24} {'in moto':>7}  {'stations p50/p95/max ms':>23} {'in moto':>7}  "
              f"{'DDB req':>7} {'items':>5} {'KB':>5}  {'30-day sessions':>15}  last 24 h")
    print(header)
    print("-" * len(header))
    for row in rows:
        d, s = row["dashboard"], row["stations"]
        print(f"{row['sessions']:>10,}  {statistics.median(d):>7.1f} {p95(d):>7.1f} {max(d):>8.1f} {statistics.median(row['dashboard_moto']):>7.1f}  "
              f"{statistics.median(s):>7.1f} {p95(s):>7.1f} {max(s):>7.1f} {statistics.median(row['stations_moto']):>7.1f}  "
              f"{row['requests']:>7} {row['items']:>5} {row['kb']:>5.1f}  {row['counted']:>15,}  {row['last24']}")
    print()
    populated = [r for r in rows if r["sessions"] > 0]
    verdicts = {
        "dashboard p95 <= 100 ms": all(p95(r["dashboard"]) <= TARGET_MS for r in rows),
        "station list p95 <= 100 ms": all(p95(r["stations"]) <= TARGET_MS for r in rows),
        "DynamoDB requests per dashboard independent of the sessions": len({r["requests"] for r in rows}) == 1,
        "items and bytes read per dashboard independent of the sessions (once its days and hours exist)":
            len({r["items"] for r in populated}) <= 1 and max(r["kb"] for r in rows) - min(r["kb"] for r in populated or rows) < 1,
        "the dashboard counts the sessions of its 30 days": all(
            r["counted"] <= r["sessions"] and (r["sessions"] == 0 or r["counted"] >= 0.95 * r["sessions"]) for r in rows
        ),
    }
    for name, ok in verdicts.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    print(f"  transactions table: {min(args.sessions, args.transactions):,} items; the roll-ups represent {args.sessions:,} sessions.")
    print("  The local stack's moto reads only the partition a Query asks for (devstack/fast_dynamodb.py; moto as")
    print("  shipped sorts the whole table per Query: CSMS_MOTO_AS_SHIPPED=1). The dashboard reads one counter item")
    print("  per group (111 here) plus 24 hourly and 30 daily items.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
