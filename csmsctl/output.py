"""What csmsctl prints: its own lines on stdout/stderr, never through `logging`, and libraries kept quiet.

Its lines do not go through `logging` because powertools' Logger(service="csms") adds a filter to
the root handlers that drops every record whose logger name contains "csms" (so "csmsctl" too).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

# Loggers that print set-up chatter (credentials found, pynamodb settings, powertools JSON lines).
NOISY = ("botocore", "boto3", "pynamodb", "urllib3", "csms", "aws_lambda_powertools")


class Output:
    """Lines a person reads: results on `out`, problems on `err`, counted for the summary."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.errors = 0

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def error(self, text: str) -> None:
        self.errors += 1
        print(f"error: {text}", file=self.err, flush=True)


@contextmanager
def quiet_libraries(level: int = logging.ERROR) -> Iterator[None]:
    """Raise the noisy loggers' levels for the command's duration, then put them back."""
    loggers = [logging.getLogger(name) for name in NOISY]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, saved, strict=True):
            logger.setLevel(old)
