"""Tracing and the TaskFailed metric: what an operator sees in X-Ray and CloudWatch for the minute tick.

The traced run happens in a subprocess: the tracer patches botocore for the whole process, as it does
in a Lambda container with active tracing, and must not leak into the other tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from chalicelib import observability
from chalicelib.jobs import runner
from chalicelib.jobs.runner import Job, Tick

ROOT = Path(__file__).resolve().parents[2]
TICK = Tick(datetime(2026, 1, 1, 0, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, 2, tzinfo=UTC))

TRACED_RUN = r"""
import json, os, sys
from datetime import UTC, datetime
os.environ.update({"POWERTOOLS_TRACE_DISABLED": "false", "AWS_LAMBDA_FUNCTION_NAME": "csms-test-every_minute",
                   "LAMBDA_TASK_ROOT": sys.argv[1], "AWS_DEFAULT_REGION": "eu-west-1",
                   "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "_X_AMZN_TRACE_ID": "Root=1-6759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"})
from aws_xray_sdk.core import xray_recorder
from moto import mock_aws

class Capture:
    sent = []
    def send_entity(self, entity): self.sent.append(entity.to_dict())
    def set_daemon_address(self, address): pass

from chalicelib import aws, observability
from chalicelib.jobs import runner
assert observability.tracer is not None, "tracing is on for this function"
xray_recorder.configure(emitter=Capture(), sampling=False)
tick = runner.Tick(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
with mock_aws():
    outcomes = runner.run_all([runner.Job("probe", lambda t: aws.client("dynamodb").list_tables())], tick)
print(json.dumps({"outcomes": [o.outcome for o in outcomes], "sent": Capture.sent}))
"""


def test_a_traced_function_shows_each_job_and_its_aws_calls_in_x_ray(tmp_path):
    done = subprocess.run([sys.executable, "-c", TRACED_RUN, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcomes"] == ["ok"]
    [job] = [s for s in result["sent"] if s["name"] == "job probe"]
    assert job["annotations"] == {"job": "probe"}
    assert job["trace_id"] == "1-6759e988-bd862e3fe1be46a994272793"
    # The SDK streams each finished subsegment on its own, naming its parent.
    calls = [s for s in result["sent"] if s.get("namespace") == "aws" and s["parent_id"] == job["id"]]
    assert [(c["name"], c["aws"]["operation"]) for c in calls] == [("dynamodb", "ListTables")]


def test_tracing_is_off_where_the_function_is_not_traced():
    assert observability.tracer is None  # tests, the local stack and the WebSocket functions
    with observability.traced("anything", station_id="CP1"):
        pass


def test_a_failing_job_is_counted_as_task_failed():
    observability.metrics.clear_metrics()

    def broken(tick):
        raise RuntimeError("boom")

    runner.run_all([Job("fine", lambda tick: None), Job("broken", broken)], TICK)
    assert observability.metrics.metric_set[observability.TASK_FAILED]["Value"] == [1.0]
    observability.metrics.clear_metrics()
