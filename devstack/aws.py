"""The embedded AWS endpoint: moto's server on a free port of 127.0.0.1, in a child process or a thread."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any

import moto
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import ThreadedWSGIServer

from devstack import fast_dynamodb
from devstack.moto_app import CONTROL, MotoApp
from devstack.moto_http import KeepAliveWSGIServer
from devstack.threads import ClosingThreadsMixIn

log = logging.getLogger("devstack.aws")

PROJECT_DIR = Path(__file__).resolve().parent.parent
BACKLOG = 1024  # listen queue: a burst of clients is queued, not reset (the standard library's is 5)


class _MotoServer(ClosingThreadsMixIn, ThreadedWSGIServer):
    """moto's ThreadedMotoServer, minus the keep-alive request threads it leaves running at stop."""

    request_queue_size = BACKLOG


class EmbeddedAws:
    """moto for DynamoDB, S3 and SES in a thread of this process; `endpoint` is what CSMS_AWS_ENDPOINT must say."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = MotoApp(DomainDispatcherApplication(create_backend_app))
        if os.environ.get("CSMS_MOTO_SERVER") == "werkzeug":  # moto's own server, for comparison
            self._server: Any = _MotoServer(host, port, self.app, handler=MotoRequestHandler)
        else:
            self._server = KeepAliveWSGIServer(host, port, self.app, BACKLOG, direct=_direct(self.app))
        self.endpoint = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="devstack-moto", daemon=True)
        self._fast_queries = False

    def start(self) -> None:
        # Queries by partition instead of over the whole table, while this moto serves (not in plain mock_aws);
        # CSMS_MOTO_AS_SHIPPED=1 keeps moto's own (full-table) path, for comparison.
        if os.environ.get("CSMS_MOTO_AS_SHIPPED") != "1":
            self._fast_queries = fast_dynamodb.install()
        self._thread.start()
        log.info("embedded AWS endpoint on %s", self.endpoint)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self.app.close()
        if self._fast_queries:
            fast_dynamodb.uninstall()
            self._fast_queries = False


def _direct(app: MotoApp) -> Any:
    """DynamoDB requests straight to moto's handler (devstack/moto_dynamodb.py), for the moto it was tested
    with; CSMS_MOTO_DYNAMODB_DIRECT=0 or CSMS_MOTO_AS_SHIPPED=1: through moto's WSGI app, for comparison."""
    if os.environ.get("CSMS_MOTO_DYNAMODB_DIRECT") == "0" or os.environ.get("CSMS_MOTO_AS_SHIPPED") == "1":
        return None
    if moto.__version__ not in fast_dynamodb.TESTED_MOTO:
        log.warning("moto %s is not one of %s: DynamoDB requests take moto's WSGI path", moto.__version__,
                    fast_dynamodb.TESTED_MOTO)
        return None
    return app.direct


class AwsProcess:
    """The same moto in a child process (`python -m devstack.aws_process`): its own GIL and core.

    The child reads its stdin until EOF: when this process dies, even by SIGKILL, the pipe closes and the
    child exits. `stop` ends it by its PID (SIGTERM, then SIGKILL).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.endpoint = ""
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "devstack.aws_process", self.host, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=PROJECT_DIR,
        )
        line = _read_line(self.proc, timeout)
        if not line.startswith("listening "):
            self.stop()
            raise RuntimeError(f"the moto process did not start: {line!r}")
        self.endpoint = f"http://{self.host}:{int(line.split()[1])}"
        log.info("embedded AWS endpoint on %s (moto process pid %d)", self.endpoint, self.proc.pid)

    def stop(self, timeout: float = 10) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    """The child's first line of stdout, or "" when it exits or stays silent for `timeout` seconds."""
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0].decode().strip() if lines else ""


def control(endpoint: str, action: str, payload: dict | None = None, timeout: float = 600) -> dict:
    """POST /_devstack/<action> to the embedded moto (open, compact, close: devstack/moto_app.py)."""
    request = urllib.request.Request(  # noqa: S310 (our own 127.0.0.1 endpoint)
        f"{endpoint}{CONTROL}{action}", data=json.dumps(payload or {}).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
        return json.loads(answer.read())


def aws_environment(endpoint: str) -> dict[str, str]:
    """The variables the app and boto3 need to talk to moto instead of AWS."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION") or "eu-west-1",
        "CSMS_AWS_ENDPOINT": endpoint,
    }


def provision(endpoint: str) -> None:
    """Buckets, the SES sender identity and every table, as infrastructure/ declares them in AWS."""
    import boto3  # noqa: PLC0415

    from chalicelib.settings import get_settings  # noqa: PLC0415
    from chalicelib.storage.tables import create_all_tables  # noqa: PLC0415

    settings = get_settings()
    create_buckets(boto3.client("s3", endpoint_url=endpoint, region_name=settings.region))
    ses = boto3.client("ses", endpoint_url=endpoint, region_name=settings.region)
    ses.verify_email_identity(EmailAddress=settings.mail_sender)
    create_all_tables()


# The reports bucket's lifecycle rule as infrastructure/template.yaml declares it (default retention).
REPORTS_LIFECYCLE = {
    "Rules": [{
        "ID": "expire-generated-reports", "Status": "Enabled", "Filter": {"Prefix": ""},
        "Expiration": {"Days": 7}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
    }],
}


# As infrastructure/template.yaml's FirmwareBucket: operators' browsers post the firmware upload form.
FIRMWARE_CORS = {"CORSRules": [{"AllowedMethods": ["POST", "GET"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "MaxAgeSeconds": 3600}]}


def create_buckets(s3) -> None:
    """The reports bucket (with its expiry rule), the firmware bucket and the frontend bucket, on moto."""
    from chalicelib.settings import get_settings  # noqa: PLC0415

    settings = get_settings()
    for bucket in (settings.reports_bucket, settings.firmware_bucket, f"{settings.table_prefix}frontend"):
        try:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.region})
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
    s3.put_bucket_lifecycle_configuration(Bucket=settings.reports_bucket, LifecycleConfiguration=REPORTS_LIFECYCLE)
    s3.put_bucket_cors(Bucket=settings.firmware_bucket, CORSConfiguration=FIRMWARE_CORS)


def delete_tables(endpoint: str) -> None:
    """Drop this stack's tables from moto (its state outlives the server within one process)."""
    from chalicelib.storage.tables import table_owners  # noqa: PLC0415

    for model in table_owners():
        if model.exists():
            model.delete_table()
