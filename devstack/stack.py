"""The whole local stack in-process: `make run` uses it, and so can tests (ports 0 = free ports).

with LocalStack(data_dir=tmp_path) as stack:
    websockets.connect(f"{stack.ws_url}/CP-1", subprotocols=["ocpp1.6"])
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

log = logging.getLogger("devstack")

PROJECT_DIR = Path(__file__).resolve().parent.parent
HEALTH_PATH = "/api/v1/health"


class LocalStack:
    def __init__(
        self,
        http_port: int = 0,
        ws_port: int = 0,
        data_dir: str | Path | None = None,
        *,
        app_module: ModuleType | None = None,
        table_prefix: str = "csms-local-",
        stage: str = "local",
        host: str = "127.0.0.1",
        seed: bool = True,
        snapshot: bool = True,
        schedule_interval: float = 60.0,
        idle_timeout: float | None = None,
        max_duration: float | None = None,
        max_workers: int = 48,
        moto_process: bool = False,
    ) -> None:
        self.host = host
        self.http_port = http_port
        self.ws_port = ws_port
        self.data_dir = Path(data_dir if data_dir is not None else ".local")
        self.app_module = app_module
        self.table_prefix = table_prefix
        self.stage = stage
        self.seed = seed
        self.snapshot = snapshot
        self.schedule_interval = schedule_interval
        self.limits = {
            k: v for k, v in (("idle_timeout", idle_timeout), ("max_duration", max_duration)) if v is not None
        }
        self.max_workers = max_workers
        self._stop_loopback: Any = None
        self.moto_process = moto_process
        self.credentials: dict | None = None
        self.aws_endpoint = ""
        self.gateway: Any = None
        self.rest: Any = None
        self.scheduler: Any = None
        self._aws: Any = None
        self._saved_env: dict[str, str | None] = {}
        self._tables_ready = False

    @classmethod
    def from_env(cls) -> LocalStack:
        env = os.environ
        return cls(
            http_port=int(env.get("CSMS_HTTP_PORT", "8000")),
            ws_port=int(env.get("CSMS_WS_PORT", "9000")),
            data_dir=env.get("CSMS_DATA_DIR", ".local"),
            table_prefix=env.get("CSMS_TABLE_PREFIX", "csms-local-"),
            moto_process=env.get("CSMS_MOTO_PROCESS", "1") != "0",
        )

    # --- addresses -------------------------------------------------------------------------------
    @property
    def ws_url(self) -> str:
        """Base WebSocket URL: append /<chargePointId>, /<organization>/<chargePointId> or ?chargePointId=."""
        return self.gateway.url

    @property
    def http_url(self) -> str:
        return self.rest.url

    @property
    def management_endpoint(self) -> str:
        return self.gateway.management_endpoint

    # --- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> LocalStack:
        try:
            self._start()
        except BaseException:
            self.stop(snapshot=False)
            raise
        return self

    def _start(self) -> None:
        from devstack.aws import BACKLOG, AwsProcess, EmbeddedAws, aws_environment

        # Bind the WebSocket port first: the app must know the @connections endpoint before it loads.
        ws_sock = socket.create_server((self.host, self.ws_port), backlog=BACKLOG)
        ws_port = ws_sock.getsockname()[1]
        self._aws = (AwsProcess if self.moto_process else EmbeddedAws)(self.host)
        self._aws.start()
        self.aws_endpoint = self._aws.endpoint
        api = _api_id()
        self._set_env(
            {
                **aws_environment(self.aws_endpoint),
                "CSMS_TABLE_PREFIX": self.table_prefix,
                "CSMS_WS_MANAGEMENT_ENDPOINT": f"http://{self.host}:{ws_port}",
                "CSMS_WS_API_ID": api,
                "CSMS_WS_STAGE": self.stage,
            }
        )
        from chalicelib.storage.base import rebind
        from devstack.gateway import CONNECT_WORKERS

        _pool_for(self.max_workers + CONNECT_WORKERS)
        self._stop_loopback = _loopback_transport()
        rebind()
        module = self.app_module or _import_app()
        self.app_module = module
        self._prepare_data(module)
        self._start_servers(module, ws_sock, api)
        self._point_links_here()
        self._wait_healthy(module)
        self._log_addresses()

    def _prepare_data(self, module: ModuleType) -> None:
        from devstack.aws import provision

        provision(self.aws_endpoint)
        self._tables_ready = True
        self._write_endpoint_file()
        restored = self.snapshot and self._open_data()
        credentials_file = self.data_dir / "credentials.json"
        if not restored and self.seed:
            self.credentials = _seed()
            if self.credentials is not None and self.snapshot:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                credentials_file.write_text(json.dumps(self.credentials, indent=2, default=str))
                credentials_file.chmod(0o600)  # operators' passwords: owner only
        elif credentials_file.exists():
            self.credentials = json.loads(credentials_file.read_text())

    def _open_data(self) -> bool:
        """Snapshot restored and journal replayed by moto's process, which journals from now on;
        True when there was data (a first start has neither file)."""
        from devstack.aws import control
        from devstack.snapshot import FILE_NAME

        self.data_dir.mkdir(parents=True, exist_ok=True)
        answer = control(
            self.aws_endpoint,
            "open",
            {"data_dir": str(self.data_dir.resolve()), "tables": _tables(), "region": os.environ["AWS_DEFAULT_REGION"]},
        )
        log.info(
            "%s: %d items from %s, %d journal entries replayed",
            self.data_dir,
            answer["restored"],
            FILE_NAME,
            answer["replayed"],
        )
        return bool(answer["snapshot"] or answer["replayed"])

    def _point_links_here(self) -> None:
        """E-mailed links (invitations, password resets) open this stack, unless CSMS_PUBLIC_URL says otherwise.
        The mails themselves go to the embedded SES and are logged with their link ("mail sent")."""
        if not os.environ.get("CSMS_PUBLIC_URL"):
            from chalicelib.settings import get_settings

            self._set_env({"CSMS_PUBLIC_URL": self.http_url})
            get_settings.cache_clear()

    def _write_endpoint_file(self) -> None:
        """Where `csmsctl --local` finds this stack's embedded AWS (removed again at stop)."""
        names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "CSMS_AWS_ENDPOINT", "CSMS_TABLE_PREFIX")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        endpoint = {name: os.environ[name] for name in names if name in os.environ}
        (self.data_dir / "endpoint.json").write_text(json.dumps(endpoint, indent=2))

    def _start_servers(self, module: ModuleType, ws_sock: socket.socket, api: str) -> None:
        from devstack.gateway import Gateway
        from devstack.handlers import (
            connections_client,
            reset_websocket_client,
            scheduled_handlers,
            warm_clients,
            websocket_handlers,
        )
        from devstack.rest import RestServer, chalice_config
        from devstack.scheduler import Scheduler

        reset_websocket_client(module)
        warm_clients(module, api, self.stage)
        app = module.app
        self.rest = RestServer(app, chalice_config(app, PROJECT_DIR), self.host, self.http_port)
        self.rest.start()
        self.gateway = Gateway(
            websocket_handlers(module),
            sock=ws_sock,
            stage=self.stage,
            api=api,
            max_workers=self.max_workers,
            function_prefix=f"{app.app_name}-local",
            **self.limits,
        )
        self.gateway.start()
        client = connections_client(api, self.stage)
        if client is not None:  # the app's answers to chargers reach the gateway without a socket
            self.gateway.send_in_process(client)
        self.scheduler = Scheduler(
            scheduled_handlers(module), os.environ["AWS_DEFAULT_REGION"], self.schedule_interval, app.app_name
        )
        self.scheduler.start()

    def stop(self, snapshot: bool = True) -> None:
        """Gateway ($disconnect for every charger), scheduler, REST, snapshot, moto; nothing left running."""
        (self.data_dir / "endpoint.json").unlink(missing_ok=True)
        for part in ("gateway", "scheduler", "rest"):
            server = getattr(self, part)
            if server is not None:
                _quietly(server.stop, part)
                setattr(self, part, None)
        if self._tables_ready:
            from devstack import aws

            if snapshot and self.snapshot:
                _quietly(lambda: aws.control(self.aws_endpoint, "close"), "snapshot")
            if not self.moto_process:  # moto's state outlives its server within this process
                _quietly(lambda: aws.delete_tables(self.aws_endpoint), "table clean-up")
            self._tables_ready = False
        if self._aws is not None:
            _quietly(self._aws.stop, "aws")
            self._aws = None
        if self._stop_loopback is not None:
            self._stop_loopback()
            self._stop_loopback = None
        if self._saved_env:
            self._restore_env()
            from chalicelib.storage.base import rebind

            rebind()
        log.info("local stack stopped")

    # --- helpers ---------------------------------------------------------------------------------
    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def _restore_env(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}

    def _wait_healthy(self, module: ModuleType, timeout: float = 10) -> None:
        if HEALTH_PATH not in module.app.routes:
            return
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.http_url + HEALTH_PATH, timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{HEALTH_PATH} did not answer 200 within {timeout}s")
            time.sleep(0.1)

    def _log_addresses(self) -> None:
        log.info("REST API:   %s", self.http_url)
        log.info("WebSocket:  %s/<chargePointId>", self.ws_url)
        log.info("            %s/<organization>/<chargePointId>", self.ws_url)
        log.info("            %s?chargePointId=<id>[&organization=<org>]", self.ws_url)
        log.info("@connections: %s/%s/@connections/<connectionId>", self.management_endpoint, self.stage)
        log.info("AWS (moto): %s   data: %s", self.aws_endpoint, self.data_dir.resolve())
        for key, value in (self.credentials or {}).items():
            log.info("credentials %s: %s", key, value)


def _api_id() -> str:
    from devstack.events import api_id

    return api_id()


def _loopback_transport():
    """The stack's DynamoDB clients talk to moto through devstack.loopback (CSMS_BOTOCORE_HTTP=urllib3: botocore's
    own HTTP session, for comparison); returns the function that removes it."""
    if os.environ.get("CSMS_BOTOCORE_HTTP") == "urllib3":
        return None
    from chalicelib import aws
    from devstack.loopback import Transport

    return aws.on_new_session(Transport().install)


def _pool_for(workers: int) -> None:
    """One pooled HTTP connection to moto per handler thread: PynamoDB's default of 10 made the other
    threads open and drop a TCP connection per request ("Connection pool is full, discarding connection")."""
    import pynamodb.settings

    defaults = pynamodb.settings.default_settings_dict
    defaults["max_pool_connections"] = max(defaults["max_pool_connections"], workers + 4)


def _tables() -> dict[str, str]:
    """Table suffix -> physical name: a snapshot is keyed by suffix, so it survives a prefix change."""
    from chalicelib.storage.tables import table_owners

    return {m.Meta.table_suffix: m.Meta.table_name for m in table_owners()}


def _import_app() -> ModuleType:
    if str(PROJECT_DIR) not in sys.path:
        sys.path.insert(0, str(PROJECT_DIR))
    return importlib.import_module("app")


def _seed() -> dict | None:
    try:
        seed = importlib.import_module("chalicelib.seed")
    except ModuleNotFoundError:
        return None
    seed_demo = getattr(seed, "seed_demo", None)
    if seed_demo is None:
        return None
    log.info("first start: seeding the demo data")
    return seed_demo()


def _quietly(action: Any, what: str) -> None:
    try:
        action()
    except Exception:
        log.exception("stopping %s failed", what)
