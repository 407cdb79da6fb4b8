"""`python -m devstack` as a child process on free ports and a data folder of the caller's: what the
browser tests and the frontend benchmark run against (the stack exactly as `make run` starts it)."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A port free now, below the kernel's ephemeral range: the child binds it a moment later, and in that
    moment no outgoing connection (moto's clients, chargers, another test's stack) can be given it as its
    local port, which a port from bind(("", 0)) could (then the child fails with "Address in use")."""
    low = _ephemeral_low() - 1
    for _ in range(200):
        port = random.randint(max(1024, low - 12000), low)  # noqa: S311 (not a secret)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


class StackProcess:
    """Started by `start()`, stopped by `stop()` with SIGTERM to its own PID (SIGKILL after `grace` s)."""

    def __init__(self, data_dir: Path, log_level: str = "INFO") -> None:
        self.data_dir = Path(data_dir)
        self.http_port, self.ws_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.log = self.data_dir / "devstack.log"
        self.log_level = log_level
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 120) -> StackProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "CSMS_HTTP_PORT": str(self.http_port), "CSMS_WS_PORT": str(self.ws_port),
               "CSMS_DATA_DIR": str(self.data_dir), "CSMS_LOG_LEVEL": self.log_level,
               "POWERTOOLS_LOG_LEVEL": self.log_level}  # INFO: the e-mailed links are in the log
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the local stack exited {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/api/v1/health", timeout=2) as answer:  # noqa: S310 (our URL)
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the local stack did not answer /api/v1/health within {timeout:g} s")

    def credentials(self) -> dict[str, str]:
        """The demo operators' generated passwords (printed at start, kept in the data folder)."""
        return json.loads((self.data_dir / "credentials.json").read_text())

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, grace: float = 35) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def __enter__(self) -> StackProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
