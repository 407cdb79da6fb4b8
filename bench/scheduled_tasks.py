"""One minute tick over 100,000 scheduled tasks of which 1,000 are due: time and DynamoDB requests.

python -m bench.scheduled_tasks [--tasks 100000] [--due 1000] [--moto-thread] [--smoke]

The local stack (`devstack`, moto behind HTTP on 127.0.0.1 in a process of its own as `make run` has it,
`CSMS_MOTO_PROCESS=1`; `--moto-thread`: in the stack's process) gets an organization with --due stations
(offline: each due task is a max-current task of its own station, so its run is Deferred, the limit kept for
the station's next boot) and --tasks tasks, as the tasks adapter stores them. They reach moto the way a
restart of the stack brings its data back: a snapshot file restored by moto's process (`/_devstack/open`,
then `close`: compacted, no journal during the tick); with --moto-thread straight into moto's tables
(bench.api_dashboard's Moto). The not-due tasks run tomorrow. Then the local scheduler fires one tick (every
job of the minute function, through app.py) and the DynamoDB requests made meanwhile are counted with botocore
hooks (bench.api_dashboard's ReadCounter); the CPU seconds of the stack's process and of moto's are printed
beside the time, so a figure taken on a busy machine can be judged. A second tick shows the cost of a minute
with nothing due. Target: the tick <= 10 s, reads proportional to the due tasks (not to all tasks: the
sparse due index, no Scan).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import proc
from bench.api_dashboard import Moto, ReadCounter
from bench.request_hooks import RequestCounter, install

PREFIX = "csms-bench-tasks-"
ORG = "BENCH"
TARGET_S = 10.0
READS = ("GetItem", "BatchGetItem", "Query", "Scan")


def seed(put: Callable[[type, dict], None], tasks: int, due: int, now: datetime) -> None:
    """`put(model, item)` for each station and task (the group goes through the API)."""
    from chalicelib.ports.tasks import MAX_CURRENT, Schedule, Task
    from chalicelib.storage.adapters.tasks import _fields  # the adapter's own item layout
    from chalicelib.storage.models import ChargingGroupItem, StationItem, TaskItem

    ChargingGroupItem(ORG, "root", name="Bench", path="/root/", search="bench").save()
    for i in range(due):
        station = StationItem(ORG, f"T{i:06d}", name=f"T{i}", group_id="root", group_path="/root/", search=f"t{i}",
                              registration="Accepted", point_count=1, created_at=now)
        put(StationItem, station.serialize())
    schedule = Schedule("daily", now.hour, now.minute)
    for i in range(tasks):
        next_run = now if i < due else now + timedelta(days=1)
        task = Task(ORG, f"{i:08d}", f"Limit {i}", MAX_CURRENT, {"station_id": f"T{i % due:06d}"}, {"amperes": 16},
                    schedule, True, now, now, next_run_at=next_run)
        item = TaskItem(ORG, f"T#{task.task_id}", rev=1, **_fields(task))
        put(TaskItem, item.serialize())


def seed_moto_thread(tasks: int, due: int, now: datetime) -> None:
    moto = Moto()
    seed(lambda model, item: moto.put(model.Meta.table_name, item), tasks, due, now)


def seed_moto_process(stack, data_dir: Path, tasks: int, due: int, now: datetime) -> None:
    """A snapshot of the items, restored by moto's process as at a restart; compacted and closed at once."""
    from devstack import aws
    from devstack.snapshot import FILE_NAME
    from devstack.stack import _tables

    items: dict[str, list[dict]] = {}
    seed(lambda model, item: items.setdefault(model.Meta.table_suffix, []).append(item), tasks, due, now)
    (data_dir / FILE_NAME).write_text(json.dumps({"version": 2, "journal": 0, "tables": items}))
    region = os.environ["AWS_DEFAULT_REGION"]
    aws.control(stack.aws_endpoint, "open", {"data_dir": str(data_dir), "tables": _tables(), "region": region})
    aws.control(stack.aws_endpoint, "close")  # journaling stops: the tick runs as with snapshot=False


class Cpu:
    """CPU seconds of this process (the stack, the bench's hooks) and of moto's process, if it has one."""

    def __init__(self, stack) -> None:
        proc = getattr(stack._aws, "proc", None)
        self.moto_pid = proc.pid if proc is not None else None

    def read(self) -> tuple[float, float | None]:
        return time.process_time(), self._moto()

    def _moto(self) -> float | None:
        return None if self.moto_pid is None else proc.cpu_s(self.moto_pid)


def tick(stack, counter: ReadCounter, tables: RequestCounter, cpu: Cpu) -> tuple[float, dict, dict, tuple]:
    """One firing of the minute rule (every job of the tick, as in AWS); calls by operation, and by table;
    CPU seconds of the stack's process and of moto's."""
    counter.reset()
    tables.reset()
    (stack_cpu, moto_cpu), started = cpu.read(), time.perf_counter()
    stack.scheduler.fire()
    took = time.perf_counter() - started
    stack_after, moto_after = cpu.read()
    used = (stack_after - stack_cpu, None if moto_cpu is None else moto_after - moto_cpu)
    return took, dict(counter.calls), dict(tables.calls), used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--moto-thread", action="store_true", help="moto in the stack's process (CSMS_MOTO_PROCESS=0)")
    parser.add_argument("--smoke", action="store_true", help="for `make test`: 1,000 tasks, 20 due")
    args = parser.parse_args(argv)
    if args.smoke:
        args.tasks, args.due = 1_000, 20
    import logging

    for name in ("devstack", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)
    counter = ReadCounter()
    install(counter)
    tables = RequestCounter(table_prefix=PREFIX)  # which table a Scan read: never the tasks'
    install(tables)
    with tempfile.TemporaryDirectory() as tmp:
        from chalicelib.observability import logger
        from devstack.stack import LocalStack

        logger.setLevel("WARNING")
        with LocalStack(data_dir=tmp, seed=False, snapshot=False, schedule_interval=3600, table_prefix=PREFIX,
                        moto_process=not args.moto_thread) as stack:
            from chalicelib.ports.registry import store

            now = datetime.now(UTC).replace(second=0, microsecond=0)
            gc.disable()
            started = time.perf_counter()
            if args.moto_thread:
                seed_moto_thread(args.tasks, args.due, now)
            else:
                seed_moto_process(stack, Path(tmp), args.tasks, args.due, now)
            gc.enable()
            gc.collect()
            gc.freeze()
            where = "moto in the stack's process" if args.moto_thread else "moto in its own process"
            print(f"seeded {args.tasks:,} tasks ({args.due:,} due) and {args.due:,} offline stations "
                  f"in {time.perf_counter() - started:.1f} s ({where})")
            cpu = Cpu(stack)
            took, calls, by_table, used = tick(stack, counter, tables, cpu)
            tasks = [store().tasks.get(ORG, f"{i:08d}") for i in range(args.due)]
            outcomes = [(t.last_run.outcome, t.next_run_at > now) if t.last_run else None for t in tasks]
            idle_took, idle_calls, _, _ = tick(stack, counter, tables, cpu)
    return report(args, took, calls, idle_took, idle_calls, outcomes, by_table, used)


def report(args, took: float, calls: dict, idle_took: float, idle_calls: dict, outcomes: list, by_table: dict,
           used: tuple[float, float | None]) -> int:
    reads = sum(n for op, n in calls.items() if op in READS)
    idle_reads = sum(n for op, n in idle_calls.items() if op in READS)
    ran = sum(1 for o in outcomes if o == ("Deferred", True))  # run, and moved on to tomorrow
    print(f"tick with {args.due:,} due of {args.tasks:,}: {took:.2f} s, {ran:,} runs Deferred (stations offline)")
    requests = sum(calls.values())
    stack_cpu, moto_cpu = used
    print(f"  CPU: stack's process {stack_cpu:.2f} s" + (f", moto's process {moto_cpu:.2f} s" if moto_cpu is not None
          else " (moto included)") + f"; {1000 * (stack_cpu + (moto_cpu or 0)) / max(requests, 1):.2f} ms per request"
          + (f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""))
    print(f"  DynamoDB requests {requests:,}: " + ", ".join(f"{op} {n:,}" for op, n in sorted(calls.items())))
    task_scans = by_table.get("Scan scheduled-tasks", 0)
    others = ", ".join(f"{key.removeprefix('Scan ')} {n}" for key, n in sorted(by_table.items())
                       if key.startswith("Scan ") and key != "Scan scheduled-tasks")
    print(f"  reads {reads:,} = {reads / args.due:.1f} per due task; Scan {task_scans} of the scheduled-tasks table"
          + (f" (other jobs of the tick: Scan of {others}, the recount's slice of organizations)" if others else ""))
    print(f"idle tick (nothing due): {idle_took:.2f} s, reads {idle_reads} "
          f"({', '.join(f'{op} {n}' for op, n in sorted(idle_calls.items())) or 'none'})")
    ok = took <= TARGET_S and ran == args.due and not task_scans
    print(f"{'PASS' if ok else 'FAIL'}: target <= {TARGET_S:.0f} s, every due task run once, no Scan of the tasks")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
