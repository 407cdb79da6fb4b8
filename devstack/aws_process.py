"""`python -m devstack.aws_process HOST PORT`: the embedded moto in a process of its own (started by AwsProcess).

Prints "listening <port>" once it serves; exits when its stdin reaches EOF (the stack is gone, however it
died) or at SIGTERM. Either way every acknowledged write is in the journal already (moto_app.py).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading


def _exit_with_parent(aws) -> None:
    sys.stdin.buffer.read()  # returns at EOF: the parent closed the pipe or died
    aws.app.close()
    os._exit(0)


def main(argv: list[str]) -> int:
    # The stack blocks SIGINT/SIGTERM in all its threads (devstack/__main__.py); exec keeps that mask.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the whole group: the stack stops us
    logging.basicConfig(
        level=os.environ.get("CSMS_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # DEBUG: one line per request with its time inside moto (devstack/moto_app.py)
    logging.getLogger("devstack.aws").setLevel(os.environ.get("CSMS_MOTO_LOG_LEVEL", "INFO"))
    from devstack.aws import EmbeddedAws

    aws = EmbeddedAws(argv[0], int(argv[1]))
    aws.start()
    threading.Thread(target=_exit_with_parent, args=(aws,), name="devstack-parent-watch", daemon=True).start()
    print("listening", aws.endpoint.rsplit(":", 1)[1], flush=True)
    threading.Event().wait()  # until SIGTERM (default action: exit) or the parent's pipe closes
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
