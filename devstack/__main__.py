"""`python -m devstack` (make run): the local stack until SIGINT or SIGTERM.

SIGINT and SIGTERM are blocked before any thread starts (every thread inherits the mask) and taken by
`signal.sigwait` in the main thread: no Python signal handler runs, so none can deadlock against a lock
the main thread holds (as `Event.set()` from a handler could, against the main thread's own `Event.wait`).
Stopping is bounded: a second signal, or a stop that takes longer than STOP_TIMEOUT, ends the process.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
STOP_TIMEOUT = 30.0


def _force_exit_later(log: logging.Logger) -> None:
    """Watch for a second signal or a stop that hangs; then exit without waiting for anything."""

    def watch() -> None:
        timer = threading.Timer(STOP_TIMEOUT, lambda: _exit(log, f"stop took over {STOP_TIMEOUT:g} s"))
        timer.daemon = True
        timer.start()
        signum = signal.sigwait(STOP_SIGNALS)
        _exit(log, f"second {signal.Signals(signum).name}")

    threading.Thread(target=watch, name="devstack-stop-watch", daemon=True).start()


def _exit(log: logging.Logger, why: str) -> None:
    log.error("%s: exiting now", why)
    logging.shutdown()
    os._exit(1)


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("CSMS_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for noisy in ("websockets", "werkzeug", "botocore.credentials", "pynamodb.settings"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    log = logging.getLogger("devstack")
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)

    from devstack.stack import LocalStack  # after logging: nothing of the app is imported yet

    stack = LocalStack.from_env()
    try:
        stack.start()
    except Exception:
        log.exception("the local stack failed to start")
        stack.stop(snapshot=False)
        return 1
    signum = signal.sigwait(STOP_SIGNALS)  # a signal sent during start waits here, pending
    log.info("stopping (%s)", signal.Signals(signum).name)
    _force_exit_later(log)
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
