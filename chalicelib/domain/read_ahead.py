"""Pages read one ahead in a thread of their own, so the next page's wait overlaps the work on this one.

A report reads about a thousand pages one after another; each is a Query round trip (DynamoDB's time, the
network's, the answer's parsing) followed by our work on its rows (the CSV). With the next page asked for
while the current one is written, the job takes about the longer of the two per page, not their sum.
A failed read is raised where the page would have been taken, in the order the pages come.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

WAIT_S = 0.5  # how often a blocked reader looks whether it was closed


class _Paged(Protocol):
    cursor: str | None


P = TypeVar("P", bound=_Paged)


class ReadAhead(Generic[P]):
    """`take()` the pages of `read(cursor)` from `cursor` on: `ahead` pages wait at most, one more is being read.

    Use as a context manager: leaving it stops the reader (a job that stops at its deadline or fails leaves
    the pages read ahead unused; they are read again by whoever resumes from the cursor)."""

    def __init__(self, read: Callable[[str | None], P], cursor: str | None, ahead: int = 1) -> None:
        self._read = read
        self._pages: queue.Queue[tuple[P | None, BaseException | None]] = queue.Queue(maxsize=ahead)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(cursor,), name="report-read-ahead", daemon=True)

    def __enter__(self) -> ReadAhead[P]:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        while self._thread.is_alive():  # unblock a reader waiting on a full queue
            try:
                self._pages.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(0.05)

    def take(self) -> P:
        page, error = self._pages.get()
        if error is not None:
            raise error
        assert page is not None
        return page

    def _run(self, cursor: str | None) -> None:
        while not self._closed.is_set():
            try:
                page: P | None = self._read(cursor)
            except BaseException as exc:  # handed to the taker, who fails the job with it
                self._put((None, exc))
                return
            self._put((page, None))
            cursor = page.cursor
            if cursor is None:
                return

    def _put(self, item: tuple[P | None, BaseException | None]) -> None:
        while not self._closed.is_set():
            try:
                self._pages.put(item, timeout=WAIT_S)
                return
            except queue.Full:
                continue
