"""Logs, metrics and traces of the whole app (powertools), in one place.

`logger` is the structured logger keyed by station, action and message id. `count(EVENT)` adds one
to a CloudWatch metric, written as an EMF log line (no PutMetricData call, no extra IAM) when the
Lambda entry point leaves `flushed()`. `traced(name, **annotations)` opens an X-Ray subsegment in
the functions deployed with active tracing (`POWERTOOLS_TRACE_DISABLED=false`: the REST API and the
minute tick, .chalice/config.json); elsewhere (WebSocket functions, tests, the local stack) it does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

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
    """X-Ray only where the function runs with active tracing: importing aws-xray-sdk patches botocore
    and costs the cold start, which the WebSocket functions (the bulk of invocations) do not pay."""
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "true").lower() != "false":
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service="csms")


tracer = _tracer()


def traced(name: str, **annotations: Any):
    """A context manager: an X-Ray subsegment `name` with searchable annotations (station, route, job),
    its AWS calls nested inside; a no-op where tracing is off."""
    if tracer is None:
        return nullcontext()
    return _subsegment(tracer, name, annotations)


@contextmanager
def _subsegment(active: Any, name: str, annotations: dict[str, Any]) -> Iterator[None]:
    with active.provider.in_subsegment(name) as subsegment:
        for key, value in annotations.items():
            if value is not None:
                subsegment.put_annotation(key, value)
        yield
