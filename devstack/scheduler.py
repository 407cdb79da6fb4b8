"""EventBridge for the local stack: every scheduled handler, every `interval` seconds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

from devstack.events import scheduled_event
from devstack.handlers import Handler, lambda_context

log = logging.getLogger("devstack.scheduler")


class Scheduler:
    def __init__(
        self, handlers: Mapping[str, Handler], region: str, interval: float = 60.0, app_name: str = "csms"
    ) -> None:
        self.handlers = dict(handlers)
        self.region = region
        self.interval = interval
        self.app_name = app_name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="devstack-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def fire(self) -> None:
        """One tick: what each rule's target receives."""
        for name, handler in self.handlers.items():
            function = f"{self.app_name}-local-{name}"
            try:
                handler(scheduled_event(f"{function}-event", self.region), lambda_context(function, 60))
            except Exception:
                log.exception("scheduled handler %s failed", name)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.fire()
