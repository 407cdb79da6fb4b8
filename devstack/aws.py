"""The embedded AWS endpoint: moto's server in this process, on a free port of 127.0.0.1."""

from __future__ import annotations

import logging
import os
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import ThreadedWSGIServer

from devstack import fast_dynamodb
from devstack.threads import ClosingThreadsMixIn

log = logging.getLogger("devstack.aws")


class _MotoServer(ClosingThreadsMixIn, ThreadedWSGIServer):
    """moto's ThreadedMotoServer, minus the keep-alive request threads it leaves running at stop."""


class _Serialized:
    """One request at a time into moto, whose backends are not thread-safe under concurrent
    writes (seen as "dictionary changed size during iteration" in transact_write_items)."""

    def __init__(self, app) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            return list(self._app(environ, start_response))


class EmbeddedAws:
    """moto for DynamoDB, S3 and SES; `endpoint` is what CSMS_AWS_ENDPOINT must say."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = _Serialized(DomainDispatcherApplication(create_backend_app))
        self._server = _MotoServer(host, port, app, handler=MotoRequestHandler)
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
        if self._fast_queries:
            fast_dynamodb.uninstall()
            self._fast_queries = False


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
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=settings.region)
    for bucket in (settings.reports_bucket, f"{settings.table_prefix}frontend"):
        try:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": settings.region})
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass
    ses = boto3.client("ses", endpoint_url=endpoint, region_name=settings.region)
    ses.verify_email_identity(EmailAddress=settings.mail_sender)
    create_all_tables()


def delete_tables(endpoint: str) -> None:
    """Drop this stack's tables from moto (its state outlives the server within one process)."""
    from chalicelib.storage.tables import table_owners  # noqa: PLC0415

    for model in table_owners():
        if model.exists():
            model.delete_table()
