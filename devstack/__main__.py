"""`python -m devstack` (make run): the local stack until SIGINT or SIGTERM."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("CSMS_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for noisy in ("websockets", "werkzeug", "botocore.credentials", "pynamodb.settings"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())

    from devstack.stack import LocalStack  # after logging: nothing of the app is imported yet

    stack = LocalStack.from_env()
    try:
        stack.start()
    except Exception:
        logging.getLogger("devstack").exception("the local stack failed to start")
        return 1
    while not stopping.wait(0.5):
        pass
    logging.getLogger("devstack").info("stopping")
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
