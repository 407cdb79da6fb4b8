"""A time window's pages read by several readers at once, each reading a slice of it, taken in time order.

A report reads its sessions from one time-ordered Query; page after page, each page's cursor is needed to
ask for the next, so one reader waits for DynamoDB (moto locally) and then parses the answer while
DynamoDB waits for it. Here the window is cut into consecutive slices, [start, end) each, read by
`readers` threads in parallel, and the pages are handed over slice after slice, so the rows come in the
same order as one Query's. A slice's pages wait in a queue of `ahead` pages at most: memory stays at a few
pages per reader whatever the window holds.

Slices are sized from the sessions seen: the first page of the window (read before any other reader starts,
as a single Query would, so a small report costs one Query) gives the density of sessions, and each slice
read tunes the width so that a slice holds about `rows` sessions. Where a page ends, `resume()` says where
reading goes on; a reader's failure is raised where its page would have been taken.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

WAIT_S = 0.5  # how often a blocked reader or taker looks whether the reads were closed
MIN_WIDTH = timedelta(seconds=1)
GROWTH = 4  # a slice is at most this many times wider (or narrower) than the one before


class _Session(Protocol):
    started_at: datetime


class _Page(Protocol):
    items: list[Any]
    cursor: str | None


@dataclass(frozen=True)
class SlicePage:
    items: list[Any]
    cursor: str | None  # within its slice
    start: datetime  # its slice
    end: datetime
    last: bool  # the window's last page

    def resume(self) -> dict:
        """Where reading goes on after this page: the slice from its cursor, or the window after the slice."""
        if self.cursor is not None:
            return {"cursor": self.cursor, "from": self.start.isoformat(), "until": self.end.isoformat()}
        return {"cursor": None, "from": self.end.isoformat(), "until": None}


@dataclass
class _Slice:
    start: datetime
    end: datetime
    cursor: str | None
    pages: queue.Queue


Read = Callable[[datetime, datetime, str | None], _Page]


class SlicedReads:
    """`take()` the pages of [at, end) in order: `read(start, end, cursor)` pages, slices read in parallel.

    `until` (a resumed slice's end) and `cursor` continue a slice a checkpoint named; without `until` the
    first slice is cut after its first page. Use as a context manager: leaving it stops the readers (pages
    read ahead are read again by whoever resumes from the last page's `resume()`)."""

    def __init__(self, read: Read, at: datetime, end: datetime, *, cursor: str | None = None,
                 until: datetime | None = None, readers: int = 2, rows: int = 4000, ahead: int = 5) -> None:
        self._read, self._window_end, self._rows, self._ahead = read, end, rows, ahead
        self._first = _Slice(at, until or end, cursor, queue.Queue(maxsize=ahead))
        # the first slice ends where its first page says the slices should (one reader: one slice, one Query)
        self._cut = until is None and readers > 1
        self._lock = threading.Lock()
        self._order: queue.Queue[_Slice] = queue.Queue()
        self._order.put(self._first)
        self._next: datetime | None = None  # where the next slice starts, once the first page was read
        self._width = MIN_WIDTH
        self._seen = [0, 0.0]  # sessions in finished slices, and their seconds
        self._closed = threading.Event()
        self._current: _Slice | None = None
        # slices handed out and not yet taken whole: with `ahead` pages each at most, memory stays flat
        self._slots = threading.Semaphore(max(1, readers) + 1)
        self._slots.acquire()  # the first slice's
        self._threads = [threading.Thread(target=self._run, args=(n == 0,), name=f"report-reader-{n}", daemon=True)
                         for n in range(max(1, readers))]

    def __enter__(self) -> SlicedReads:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        for thread in self._threads:
            while thread.is_alive():  # unblock a reader waiting on a full queue
                self._drain()
                thread.join(0.05)

    def take(self) -> SlicePage:
        if self._current is None:
            self._current = self._wait(self._order)
        current = self._current
        page, error = self._wait(current.pages)
        if error is not None:
            raise error
        if page.cursor is None:
            self._current = None
            self._slots.release()
        last = page.cursor is None and current.end >= self._window_end
        return SlicePage(page.items, page.cursor, current.start, current.end, last)

    # --- the readers -------------------------------------------------------------------------------
    def _run(self, first: bool) -> None:
        if first:
            if not self._read_slice(self._first, first=True):
                return
        while not self._closed.is_set():
            piece = self._assign()
            if piece is None:
                return
            if not self._read_slice(piece):
                return

    def _read_slice(self, piece: _Slice, first: bool = False) -> bool:
        """Every page of the slice into its queue; False: stop reading (a failure, or closed)."""
        cursor, count = piece.cursor, 0
        while not self._closed.is_set():
            try:
                page = self._read(piece.start, piece.end, cursor)
            except BaseException as exc:  # handed to the taker, who fails the job with it
                if first:
                    self._started(self._window_end)  # no other slice is read
                self._put(piece.pages, (None, exc))
                return False
            count += len(page.items)
            if first:
                first = False
                self._learn(piece, page)
            self._put(piece.pages, (page, None))
            cursor = page.cursor
            if cursor is None:
                self._finished(piece, count)
                return True
        return False

    def _learn(self, piece: _Slice, page: _Page) -> None:
        """After the window's first page: how wide a slice of `rows` sessions is, and where the first slice ends."""
        items = page.items
        if page.cursor is not None and len(items) > 1:
            span = (items[-1].started_at - items[0].started_at).total_seconds()
            density = (len(items) - 1) / span if span > 0 else float(len(items))
            self._width = max(MIN_WIDTH, timedelta(seconds=self._rows / density))
            if self._cut:
                piece.end = min(piece.end, items[-1].started_at + self._width)
        self._started(piece.end)

    def _started(self, next_start: datetime) -> None:
        with self._lock:
            self._next = next_start

    def _assign(self) -> _Slice | None:
        """The next slice in time, queued for the taker in the order slices are handed out; None: none left."""
        while not self._slots.acquire(timeout=WAIT_S):
            if self._closed.is_set():
                return None
        while not self._closed.is_set():
            with self._lock:
                start = self._next
                if start is not None:
                    if start >= self._window_end:
                        self._slots.release()
                        return None
                    piece = _Slice(start, min(self._window_end, start + self._width), None, queue.Queue(maxsize=self._ahead))
                    self._next = piece.end
                    self._order.put(piece)
                    return piece
            self._closed.wait(0.005)  # the first page is being read
        return None

    def _finished(self, piece: _Slice, count: int) -> None:
        """A slice read: the next slices sized from the sessions per second seen so far."""
        with self._lock:
            self._seen[0] += count
            self._seen[1] += (piece.end - piece.start).total_seconds()
            if self._seen[0]:
                wanted = timedelta(seconds=self._rows * self._seen[1] / self._seen[0])
            else:
                wanted = self._width * GROWTH
            self._width = max(MIN_WIDTH, min(self._width * GROWTH, max(self._width / GROWTH, wanted)))

    # --- queues that give way when the reads are closed ----------------------------------------------
    def _put(self, pages: queue.Queue, item: tuple) -> None:
        while not self._closed.is_set():
            try:
                pages.put(item, timeout=WAIT_S)
                return
            except queue.Full:
                continue

    def _wait(self, source: queue.Queue) -> Any:
        while True:
            try:
                return source.get(timeout=WAIT_S)
            except queue.Empty:
                if self._closed.is_set():
                    raise RuntimeError("the reads were closed") from None

    def _drain(self) -> None:
        pending = list(self._order.queue) + ([self._current] if self._current else [])
        for piece in pending:
            try:
                while True:
                    piece.pages.get_nowait()
            except queue.Empty:
                pass
