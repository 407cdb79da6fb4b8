"""The minute tick's runner: every job runs, a failing one is isolated, each outcome and duration is logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from chalicelib.jobs import runner
from chalicelib.jobs.runner import Job, Outcome, Tick

TICK = Tick(datetime(2026, 1, 1, 0, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, 2, tzinfo=UTC))


def _clock(*readings: float):
    values = iter(readings)
    return lambda: next(values)


def _finished(caplog) -> list[tuple]:
    return [(r.job, r.outcome, r.duration_ms, r.levelname) for r in caplog.records if r.getMessage() == "job finished"]


def test_a_failing_job_does_not_stop_the_next_and_each_outcome_is_logged(caplog):
    # Given three jobs, the second of which raises
    ran = []

    def broken(tick):
        raise RuntimeError("table missing")

    jobs = [Job("first", lambda tick: ran.append(("first", tick))), Job("broken", broken), Job("last", ran.append)]
    # When the tick runs them (the timer reads 0, 12 ms, 12, 15, 15, 15.5)
    with caplog.at_level(logging.INFO, logger="csms"):
        outcomes = runner.run_all(jobs, TICK, timer=_clock(0.0, 0.012, 0.012, 0.015, 0.015, 0.0155))
    # Then every job ran, with the tick
    assert ran == [("first", TICK), TICK]
    assert outcomes == [Outcome("first", "ok", 12.0), Outcome("broken", "failed", 3.0), Outcome("last", "ok", 0.5)]
    # And one structured line per job says its outcome and duration
    assert _finished(caplog) == [
        ("first", "ok", 12.0, "INFO"),
        ("broken", "failed", 3.0, "ERROR"),
        ("last", "ok", 0.5, "INFO"),
    ]
    # And the failure is logged with its traceback
    raised = [r for r in caplog.records if r.getMessage() == "job raised"]
    assert [r.job for r in raised] == ["broken"] and "table missing" in str(raised[0].exc_info[1])


def test_a_job_module_that_cannot_be_imported_fails_alone(caplog, monkeypatch):
    monkeypatch.setattr(runner, "JOBS", ("no_such_job", "tick"))
    with caplog.at_level(logging.INFO, logger="csms"):
        outcomes = runner.every_minute({"time": "2026-01-01T00:01:00Z"})
    assert [(o.job, o.outcome) for o in outcomes] == [("no_such_job", "failed"), ("tick", "ok")]
    assert [line[:2] for line in _finished(caplog)] == [("no_such_job", "failed"), ("tick", "ok")]


def test_the_scheduled_lambda_runs_the_jobs_with_eventbridges_time(caplog):
    import app

    event = {
        "version": "0",
        "id": "1",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "1",
        "time": "2026-01-01T00:01:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {},
    }
    from chalicelib.memstore import memory_store
    from chalicelib.ports.registry import using

    with using(memory_store()), caplog.at_level(logging.DEBUG, logger="csms"):
        app.every_minute(event, None)
    assert [line[:2] for line in _finished(caplog)] == [
        ("tick", "ok"), ("command_timeouts", "ok"), ("stuck_transactions", "ok"), ("firmware_timeouts", "ok"),
        ("scheduled_tasks", "ok"),
        ("silent_stations", "ok"), ("recount", "ok"),
    ]
    assert [r.time for r in caplog.records if r.getMessage() == "tick"] == ["2026-01-01T00:01:00+00:00"]
