"""Logs, metrics and traces of the whole app (powertools), in one place.

`logger` is the structured logger keyed by station, action and message id. `count(EVENT)` adds one
to a CloudWatch metric, written as an EMF log line (no PutMetricData call, no extra IAM) when the
Lambda entry point leaves `flushed()`. `tracer` annotates X-Ray segments when active tracing is
on and aws-xray-sdk is installed; elsewhere (tests, the local stack) it does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="csms")
metrics = Metrics(namespace="CSMS", service="csms")

# The events an operator of the service watches (infrastructure/dashboard.py graphs each of them).
STATION_CONNECTED = "StationConnected"
BOOT_ACCEPTED = "BootAccepted"
SESSION_STARTED = "SessionStarted"
SESSION_STOPPED = "SessionStopped"
COMMAND_TIMED_OUT = "CommandTimedOut"
TASK_FAILED = "TaskFailed"
EVENTS = (STATION_CONNECTED, BOOT_ACCEPTED, SESSION_STARTED, SESSION_STOPPED, COMMAND_TIMED_OUT, TASK_FAILED)


def count(event: str) -> None:
    metrics.add_metric(name=event, unit=MetricUnit.Count, value=1)


@contextmanager
def flushed() -> Iterator[None]:
    """Around one Lambda invocation: whatever was counted is written once, even when it fails.
    Outside Lambda (the local stack, tests) the counts are dropped: no JSON lines in the console."""
    try:
        yield
    finally:
        if metrics.metric_set:
            if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
                metrics.flush_metrics()
            else:
                metrics.clear_metrics()


def _tracer():
    """X-Ray only where the function runs with active tracing; aws-xray-sdk is not a runtime
    requirement of the package (it would add to every cold start), so without it: no tracer."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "true").lower() != "false":
        return None
    try:
        from aws_lambda_powertools import Tracer

        return Tracer(service="csms")
    except ImportError:  # pragma: no cover - depends on the package contents
        return None


tracer = _tracer()
