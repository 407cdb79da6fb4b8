"""Which charger upgrades the gateway takes while earlier `$connect`s are still pending.

A burst of chargers needs more CPU than the cores have: taking every upgrade only makes each `$connect`
slower until it misses its budget, is answered 503 anyway and is retried, so its work was for nothing
(two thirds of the `$connect`s of a 300-charger burst on this machine). So `$connect`s run a few at a time
(`workers`); further ones queue, and an upgrade is answered 503 at once while the queue is standing, i.e.
the last `$connect` to start had waited longer than `queue_target` (CoDel's idea), or `max_pending` are
pending. A queued `$connect` whose budget runs out is cancelled before it runs: no work is thrown away.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger("devstack.gateway")

LOG_EVERY = 1.0  # seconds between two "busy" lines: a burst refuses thousands of upgrades


class Admission:
    def __init__(
        self, workers: int, max_pending: int, queue_target: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.workers = workers
        self.max_pending = max_pending
        self.queue_target = queue_target
        self.clock = clock
        self.pending = 0  # running or queued (changed on the gateway's loop only)
        self.refused = 0
        self.last_wait = 0.0  # how long the last $connect to start had queued (written by handler threads)
        self._unlogged = 0
        self._logged_at = 0.0

    def admit(self) -> bool:
        if self.pending >= self.max_pending:
            return False
        return self.pending < self.workers or self.last_wait <= self.queue_target

    def refuse(self, station: str, why: str) -> None:
        """Count a 503; log one line per LOG_EVERY seconds with how many there were."""
        self.refused += 1
        self._unlogged += 1
        now = self.clock()
        if now - self._logged_at >= LOG_EVERY:
            log.warning(
                "busy: %d upgrade(s) answered 503 (last: station=%s, %s; %d $connects pending, last queued %.1f s)",
                self._unlogged,
                station,
                why,
                self.pending,
                self.last_wait,
            )
            self._unlogged = 0
            self._logged_at = now

    def started(self, queued_at: float) -> None:
        self.last_wait = self.clock() - queued_at
