"""The local DynamoDB's write-ahead journal: every acknowledged mutating request, one JSON line each.

Files in the data dir: `dynamodb.json` (the snapshot, which names the journal generation to replay on top
of it) and `dynamodb.journal.<generation>`. A line is written (one write(2), so a crash of the process
never leaves half of an acknowledged line) before the answer leaves moto; the file is fsync'ed every
FSYNC_INTERVAL seconds. So a kill -9 loses no acknowledged write, a power loss at most the last interval.
A torn last line (power loss mid-write) was never acknowledged and is skipped at replay.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("devstack.journal")

FSYNC_INTERVAL = 1.0
PREFIX = "dynamodb.journal."

# Requests that change items (PartiQL statements are journaled whole: replaying a SELECT changes nothing).
# Table-level requests are not: the stack provisions its tables from the models at every start.
MUTATING = frozenset(
    f"DynamoDB_20120810.{action}"
    for action in (
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "ExecuteStatement",
        "BatchExecuteStatement",
        "ExecuteTransaction",
    )
)


def path(data_dir: Path, generation: int) -> Path:
    return data_dir / f"{PREFIX}{generation}"


def read(data_dir: Path, generation: int) -> Iterator[dict]:
    """The entries of one generation, in order; a torn or garbled line ends the journal there."""
    source = path(data_dir, generation)
    if not source.exists():
        return
    with source.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.endswith(b"\n"):
                log.warning("%s: line %d is incomplete (never acknowledged); skipped", source, number)
                return
            try:
                yield json.loads(line)
            except ValueError:
                log.error("%s: line %d is not JSON; the journal is read up to there", source, number)
                return


def remove_others(data_dir: Path, keep: int) -> None:
    """Journals of other generations: older ones are in the snapshot already."""
    for stale in data_dir.glob(PREFIX + "*"):
        if stale.name != path(data_dir, keep).name:
            stale.unlink(missing_ok=True)


class Journal:
    """Appends entries to one generation's file; a background thread fsyncs it while it is open."""

    def __init__(self, data_dir: Path, generation: int) -> None:
        self.generation = generation
        self.path = path(data_dir, generation)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.size = os.fstat(self._fd).st_size
        self.entries = 0
        self._dirty = False
        self._closed = threading.Event()
        self._syncer = threading.Thread(target=self._sync_loop, name="devstack-journal-fsync", daemon=True)
        self._syncer.start()

    def append(self, entry: dict) -> None:
        line = json.dumps(entry, separators=(",", ":")).encode() + b"\n"
        written = os.write(self._fd, line)
        while written < len(line):  # a regular file takes it whole; never leave a short line behind
            written += os.write(self._fd, line[written:])
        self.size += len(line)
        self.entries += 1
        self._dirty = True

    def sync(self) -> None:
        if self._dirty:
            self._dirty = False
            os.fsync(self._fd)

    def _sync_loop(self) -> None:
        while not self._closed.wait(FSYNC_INTERVAL):
            try:
                self.sync()
            except OSError:  # closed under us at stop
                return

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        self.sync()
        os.close(self._fd)
