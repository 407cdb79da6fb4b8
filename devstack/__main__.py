"""`python -m devstack` (make run): the local stack until SIGINT or SIGTERM.

SIGINT and SIGTERM are blocked before any thread starts (every thread inherits the mask) and taken by
`signal.sigwait` in a watcher thread: no Python signal handler runs, so none can deadlock against a lock
the main thread holds (as `Event.set()` from a handler could, against the main thread's own `Event.wait`).
Stopping is bounded, during start too: a second signal, or STOP_TIMEOUT seconds after the first, ends the
process at once (acknowledged writes are in moto's journal already; moto's process sees its pipe close).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
STOP_TIMEOUT = 30.0


def _watch_signals(stopping: threading.Event, log: logging.Logger) -> None:
    signum = signal.sigwait(STOP_SIGNALS)
    log.info("stopping (%s)", signal.Signals(signum).name)
    stopping.set()
    timer = threading.Timer(STOP_TIMEOUT, lambda: _exit(log, f"stop took over {STOP_TIMEOUT:g} s"))
    timer.daemon = True
    timer.start()
    signum = signal.sigwait(STOP_SIGNALS)
    _exit(log, f"second {signal.Signals(signum).name}")


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
    stopping = threading.Event()
    threading.Thread(target=_watch_signals, args=(stopping, log), name="devstack-signals", daemon=True).start()

    from devstack.stack import LocalStack  # after logging: nothing of the app is imported yet

    stack = LocalStack.from_env()
    try:
        stack.start()
    except Exception:
        log.exception("the local stack failed to start")
        return 1
    stopping.wait()
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
