"""A window's pages read in time slices by several readers come in one Query's order, resume from any page,
raise a reader's failure where its page was, and stop every reader when left early."""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.time_slices import SlicedReads

T0 = datetime(2026, 1, 1, tzinfo=UTC)
END = T0 + timedelta(days=10)


@dataclass(frozen=True)
class Session:
    started_at: datetime
    number: int


@dataclass
class Page:
    items: list[Session]
    cursor: str | None


class Index:
    """Sessions ordered by (started_at, number), read as a Query would page them: `limit` a page, a cursor
    after the last one when the page is full (a last full page is followed by an empty one, as DynamoDB does)."""

    def __init__(self, sessions: list[Session], limit: int, fail_at: datetime | None = None) -> None:
        self.sessions = sorted(sessions, key=lambda s: (s.started_at, s.number))
        self.limit, self.fail_at = limit, fail_at
        self.reads: list[tuple[datetime, datetime, str | None]] = []
        self.threads: set[str] = set()
        self.lock = threading.Lock()

    def read(self, start: datetime, end: datetime, cursor: str | None) -> Page:
        with self.lock:
            self.reads.append((start, end, cursor))
            self.threads.add(threading.current_thread().name)
        if self.fail_at is not None and start >= self.fail_at:
            raise RuntimeError(f"Query failed in the slice from {start:%d %H:%M}")
        keys = [(s.started_at, s.number) for s in self.sessions]
        first = bisect_left(keys, (start, -1))
        if cursor is not None:
            at, number = cursor.split("|")
            first = max(first, bisect_left(keys, (datetime.fromisoformat(at), int(number) + 1)))
        window = [s for s in self.sessions[first:] if s.started_at < end]
        page = window[: self.limit]
        more = len(page) == self.limit
        return Page(page, f"{page[-1].started_at.isoformat()}|{page[-1].number}" if more else None)


def _spread(count: int, seed: int = 7) -> list[Session]:
    """Uneven density: a busy first day, a quiet stretch, equal start times, then a busy end."""
    sessions = [Session(T0 + timedelta(seconds=(n * 7919 * seed) % 86400), n) for n in range(count // 2)]
    sessions += [Session(T0 + timedelta(days=4, hours=n % 3), count + n) for n in range(count // 8)]
    sessions += [Session(T0 + timedelta(days=8, seconds=(n * 104729) % 172800), 2 * count + n) for n in range(count // 3)]
    return sessions


def _all(reads: SlicedReads) -> list:
    pages = []
    while True:
        page = reads.take()
        pages.append(page)
        if page.last:
            return pages


@pytest.mark.parametrize("readers", [1, 2, 3])
def test_the_pages_of_every_slice_come_in_the_order_of_one_query(readers):
    index = Index(_spread(600), limit=7)
    with SlicedReads(index.read, T0, END, readers=readers, rows=20, ahead=3) as reads:
        pages = _all(reads)
    assert [s for p in pages for s in p.items] == index.sessions
    slices = {(start, end) for start, end, _cursor in index.reads}
    if readers == 1:
        assert slices == {(T0, END)}  # one Query, page after page
        assert len(index.reads) == len(index.sessions) // 7 + 1
    else:
        assert len(slices) > 10 and len(index.threads) == readers


def test_a_window_of_one_page_costs_one_query():
    index = Index(_spread(16), limit=50)
    with SlicedReads(index.read, T0, END, readers=2, rows=20) as reads:
        page = reads.take()
    assert page.last and page.items == index.sessions
    assert index.reads == [(T0, END, None)]


def test_reading_resumed_after_any_page_gives_the_rest():
    index = Index(_spread(120), limit=5)
    with SlicedReads(index.read, T0, END, readers=2, rows=15, ahead=2) as reads:
        pages = _all(reads)
    for done, page in enumerate(pages[:-1], start=1):
        resume = page.resume()
        until = datetime.fromisoformat(resume["until"]) if resume["until"] else None
        with SlicedReads(index.read, datetime.fromisoformat(resume["from"]), END, cursor=resume["cursor"],
                         until=until, readers=2, rows=15, ahead=2) as reads:
            rest = [s for p in _all(reads) for s in p.items]
        assert [s for p in pages[:done] for s in p.items] + rest == index.sessions


def test_a_readers_failure_is_raised_where_its_page_would_have_been():
    index = Index(_spread(300), limit=6, fail_at=T0 + timedelta(days=8, hours=12))
    taken = []
    with SlicedReads(index.read, T0, END, readers=3, rows=12, ahead=2) as reads:
        with pytest.raises(RuntimeError, match="Query failed in the slice from"):
            while True:
                taken.extend(reads.take().items)
    failed = min(start for start, _end, _cursor in index.reads if start >= index.fail_at)
    assert taken == [s for s in index.sessions if s.started_at < failed]  # every page before the failed slice's
    assert len(taken) > 100


def test_leaving_early_stops_every_reader_which_read_only_a_few_pages_ahead():
    index = Index(_spread(3000), limit=10)
    with SlicedReads(index.read, T0, END, readers=2, rows=30, ahead=4) as reads:
        reads.take()
        time.sleep(0.3)  # the readers run ahead as far as they may
        ahead = len(index.reads)
    assert ahead <= 1 + 3 * (4 + 1)  # the page taken; three slices (the one taken, one per reader) of 4 waiting pages and one being read
    time.sleep(0.05)
    assert len(index.reads) == ahead
    assert not [t for t in threading.enumerate() if t.name.startswith("report-reader")]
