"""The Chalice app's REST routes on 127.0.0.1, served by Chalice's own local server."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, LocalChalice, LocalDevServer, ThreadedHTTPServer

from devstack import static
from devstack.aws import BACKLOG
from devstack.threads import ClosingThreadsMixIn

log = logging.getLogger("devstack.rest")


MAX_OPEN_REQUESTS = 128  # connections being served (one thread each); beyond, 503 at once
_BUSY = b'{"message": "Service Unavailable"}'


class _Server(ClosingThreadsMixIn, ThreadedHTTPServer):
    request_queue_size = BACKLOG  # Chalice's is 5: 40 parallel clients saw connection resets

    def process_request(self, request: Any, client_address: Any) -> None:
        if self.open_requests() >= MAX_OPEN_REQUESTS:
            log.warning("busy: %s answered 503 (%d connections open)", client_address[0], MAX_OPEN_REQUESTS)
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_BUSY), _BUSY)
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)


class _Handler(ChaliceRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (BaseHTTPRequestHandler's name)
        if static.is_frontend(self.path):
            self._send_static(static.answer(self.path))
        else:
            self._generic_handle()

    def do_HEAD(self) -> None:  # noqa: N802
        if static.is_frontend(self.path):
            self._send_static(static.answer(self.path), body=False)
        else:
            self._generic_handle()

    def _send_static(self, answer: static.Answer, body: bool = True) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", answer.cache_control)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (BaseHTTPRequestHandler's name)
        log.info("%s " + format, self.address_string(), *args)


def chalice_config(app: Any, project_dir: Path, stage: str = "dev") -> Config:
    """The Config `chalice local` would build: .chalice/config.json when present."""
    path = project_dir / ".chalice" / "config.json"
    from_disk = json.loads(path.read_text()) if path.exists() else {}
    return Config(
        chalice_stage=stage,
        user_provided_params={"chalice_app": app, "project_dir": str(project_dir)},
        config_from_disk=from_disk,
    )


class RestServer:
    def __init__(self, app: Any, config: Config, host: str = "127.0.0.1", port: int = 8000) -> None:
        if not isinstance(app, LocalChalice):
            # What chalice.local.create_local_server does (app.current_request becomes thread-local),
            # with a class of our own so a second stack in the same process does not loop its bases.
            app.__class__ = type("LocalApp", (LocalChalice, app.__class__), {})
        local = LocalDevServer(app, config, host, port, handler_cls=_Handler, server_cls=_Server)
        self._server = local.server
        self.port = self._server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="devstack-rest", daemon=True)

    def start(self) -> None:
        self._thread.start()
        log.info("REST API on %s", self.url)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
