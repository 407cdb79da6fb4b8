"""Which charger upgrades the gateway starts while earlier `$connect`s are still running, and which wait.

A burst of chargers needs more CPU than the cores have. `$connect`s run a few at a time (`workers` slots:
more would only share the same cores and each miss its budget). An upgrade that finds no free slot is
not refused at once: its raw socket waits, request head read and nothing else built, in arrival order
until a slot frees, and is answered 503 only when it has waited `wait_limit` seconds. A refused charger
retries within a second; answering it at once, as this gateway did, made a 1,000-charger burst cost
10,000 refused attempts (accept, handshake, 503, close, on both sides) where a waiting socket costs
nothing. Beyond `max_pending` upgrades started or waiting, an upgrade is answered 503 at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable

log = logging.getLogger("devstack.gateway")

LOG_EVERY = 1.0  # seconds between two "busy" lines: a burst can refuse thousands of upgrades

START, WAIT, REFUSE = "start", "wait", "refuse"


class Admission:
    def __init__(
        self, workers: int, max_pending: int, wait_limit: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.workers = workers
        self.max_pending = max_pending
        self.wait_limit = wait_limit
        self.clock = clock
        self.running = 0  # upgrades started whose $connect has not returned (changed on the gateway's loop only)
        self.waiting: dict[Hashable, float] = {}  # upgrade -> when it must be answered 503, in arrival order
        self.refused = 0
        self._unlogged = 0
        self._logged_at = 0.0

    @property
    def pending(self) -> int:
        return self.running + len(self.waiting)

    def offer(self, upgrade: Hashable) -> str:
        """START (a slot is taken), WAIT (queued until `next_due`) or REFUSE (answer 503 now)."""
        if self.pending >= self.max_pending:
            return REFUSE
        if self.running < self.workers and not self.waiting:
            self.running += 1
            return START
        self.waiting[upgrade] = self.clock() + self.wait_limit
        return WAIT

    def release(self) -> Hashable | None:
        """A slot is free: the first waiting upgrade takes it, if any (call `expired` first)."""
        self.running -= 1
        if self.running >= self.workers or not self.waiting:
            return None
        upgrade = next(iter(self.waiting))
        del self.waiting[upgrade]
        self.running += 1
        return upgrade

    def leave(self, upgrade: Hashable) -> None:
        """A waiting upgrade whose client went away."""
        self.waiting.pop(upgrade, None)

    def next_due(self) -> float | None:
        """When the first waiting upgrade runs out of time: the earliest, all wait the same limit."""
        return next(iter(self.waiting.values()), None)

    def expired(self) -> list[Hashable]:
        """The waiting upgrades past their limit, removed: each is to be answered 503."""
        now, late = self.clock(), []
        for upgrade, due in self.waiting.items():
            if due > now:
                break
            late.append(upgrade)
        for upgrade in late:
            del self.waiting[upgrade]
        return late

    def refuse(self, station: str, why: str) -> None:
        """Count a 503; log one line per LOG_EVERY seconds with how many there were."""
        self.refused += 1
        self._unlogged += 1
        now = self.clock()
        if now - self._logged_at >= LOG_EVERY:
            log.warning(
                "busy: %d upgrade(s) answered 503 (last: station=%s, %s; %d $connects running, %d waiting)",
                self._unlogged,
                station,
                why,
                self.running,
                len(self.waiting),
            )
            self._unlogged = 0
            self._logged_at = now
