"""Threaded HTTP servers that can be stopped without leaving a request thread behind."""

from __future__ import annotations

import socket
import threading
from typing import Any


class ClosingThreadsMixIn:
    """Track each request's socket and thread; `close_connections` ends idle keep-alive ones."""

    daemon_threads = True

    def _tracked(self) -> dict[Any, threading.Thread]:
        if not hasattr(self, "_open_requests"):
            self._open_requests: dict[Any, threading.Thread] = {}
            self._open_lock = threading.Lock()
        return self._open_requests

    def open_requests(self) -> int:
        tracked = self._tracked()
        with self._open_lock:
            return len(tracked)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        tracked = self._tracked()
        with self._open_lock:
            tracked[request] = threading.current_thread()
        try:
            super().process_request_thread(request, client_address)  # type: ignore[misc]
        finally:
            with self._open_lock:
                tracked.pop(request, None)

    def close_connections(self, timeout: float = 5) -> None:
        tracked = self._tracked()
        with self._open_lock:
            open_requests = list(tracked.items())
        for request, _ in open_requests:
            try:
                request.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for _, thread in open_requests:
            thread.join(timeout)
