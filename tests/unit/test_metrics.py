"""Each meaningful event is one CloudWatch metric, written as an EMF line when the invocation ends."""

from __future__ import annotations

import json

import pytest

from chalicelib import observability


@pytest.fixture(autouse=True)
def in_lambda(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "csms-test-websocket_message")


def _counted(text: str) -> list[str]:
    """Metric names of the EMF lines printed, once per count."""
    names = []
    for line in text.splitlines():
        if not line.startswith("{") or "_aws" not in line:
            continue
        record = json.loads(line)
        assert record["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "CSMS"
        assert record["service"] == "csms"
        for metric in record["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            names += [metric["Name"]] * (len(record[metric["Name"]]) if isinstance(record[metric["Name"]], list) else 1)
    return names


def test_a_charging_session_counts_its_events(world, capsys):
    charger = world.connect()
    charger.frame("boot_notification")
    charger.frame("heartbeat")
    tx = charger.frame("start_transaction")[2]["transactionId"]
    charger.frame("start_transaction")  # a replay: same id, not a second session
    charger.frame("stop_transaction", TXID=tx)
    charger.frame("stop_transaction", TXID=tx)  # a replay: stopped once
    assert _counted(capsys.readouterr().out) == [
        observability.STATION_CONNECTED,
        observability.BOOT_ACCEPTED,
        observability.SESSION_STARTED,
        observability.SESSION_STOPPED,
    ]


def test_nothing_counted_writes_nothing(capsys):
    with observability.flushed():
        pass
    assert capsys.readouterr().out == ""


def test_a_failing_invocation_still_writes_its_counts(capsys):
    try:
        with observability.flushed():
            observability.count(observability.TASK_FAILED)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert _counted(capsys.readouterr().out) == [observability.TASK_FAILED]


def test_outside_lambda_counts_are_dropped_silently(monkeypatch, capsys):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME")
    with observability.flushed():
        observability.count(observability.STATION_CONNECTED)
    assert capsys.readouterr().out == ""
    assert not observability.metrics.metric_set
