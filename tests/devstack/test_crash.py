"""`python -m devstack` killed with SIGKILL keeps every acknowledged write; SIGTERM always stops it promptly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest

from devstack.process import free_port
from tests.integration.chargers import call, charger

ROOT = Path(__file__).resolve().parent.parent.parent
PREFIX = "csms-crash-"


class Stack:
    """`python -m devstack` as `make run` starts it, on free ports and a data dir of the test's."""

    def __init__(self, data_dir: Path, http_port: int, ws_port: int) -> None:
        self.data_dir = data_dir
        self.http = f"http://127.0.0.1:{http_port}"
        self.ws = f"ws://127.0.0.1:{ws_port}/ocpp"
        env = {
            **os.environ,
            "CSMS_HTTP_PORT": str(http_port),
            "CSMS_WS_PORT": str(ws_port),
            "CSMS_DATA_DIR": str(data_dir),
            "CSMS_TABLE_PREFIX": PREFIX,
            "CSMS_LOG_LEVEL": "WARNING",
        }
        self.log = data_dir / f"devstack-{time.time_ns()}.log"
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=ROOT, env=env, stdout=out, stderr=out)
        self._wait_healthy()
        self.moto_pid = int(Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()[0])

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(self.http + "/api/v1/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        pytest.fail("the stack did not answer /api/v1/health within 90 s")

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        request = urllib.request.Request(self.http + path, method=method, data=json.dumps(body).encode() if body else None)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")

    def login(self) -> str:
        password = json.loads((self.data_dir / "credentials.json").read_text())["acme-admin"]
        return self.api("POST", "/api/v1/auth/login", {"username": "acme-admin", "password": password})["token"]

    def moto_item(self, suffix: str, key: dict) -> dict | None:
        endpoint = json.loads((self.data_dir / "endpoint.json").read_text())["CSMS_AWS_ENDPOINT"]
        client = boto3.client(
            "dynamodb", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        )
        return client.get_item(TableName=PREFIX + suffix, Key=key, ConsistentRead=True).get("Item")

    def stop(self, signum: int, within: float) -> float:
        started = time.monotonic()
        os.kill(self.proc.pid, signum)
        self.proc.wait(within)
        return time.monotonic() - started


def _gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


async def _charge(stack: Stack, station: str) -> int:
    async with charger(f"{stack.ws}/ACME/{station}", station) as (cp, _):
        await cp.call(call.BootNotification(charge_point_model="EVF200", charge_point_vendor="Ensto"))
        start = await cp.call(
            call.StartTransaction(connector_id=1, id_tag="12345678", meter_start=1000, timestamp="2026-11-21T08:00:00Z")
        )
        stop = call.StopTransaction(
            meter_stop=4000, timestamp="2026-11-21T09:00:00Z", transaction_id=start.transaction_id, reason="Local"
        )
        await cp.call(stop)
        return start.transaction_id


def _free_ports() -> tuple[int, int]:
    return free_port(), free_port()


async def test_sigkill_loses_no_acknowledged_write_and_transaction_ids_never_repeat(tmp_path):
    # Given: a running stack with writes acknowledged over REST and OCPP, never stopped cleanly
    ports = _free_ports()
    first = Stack(tmp_path, *ports)
    try:
        token = first.login()
        first.api("POST", "/api/v1/stations", {"station_id": "CRASH-1", "name": "Crash test"}, token)
        user = first.api(
            "POST",
            "/api/v1/charging-users",
            {"first_name": "Kim", "last_name": "Crash", "email": "kim@example.com", "tokens": [{"token_id": "CAFE0001"}]},
            token,
        )
        tx = await _charge(first, "EVI00000013")
    finally:
        # When: SIGKILL by PID
        first.proc.kill()
        first.proc.wait(10)
    # Then: moto's process follows its parent
    assert _gone(first.moto_pid, 10), "the moto process outlived the killed stack"
    assert not (tmp_path / "dynamodb.json").exists()  # nothing but the journal to go by

    # When: started again on the same data dir
    second = Stack(tmp_path, *ports)
    try:
        token = second.login()
        # Then: everything acknowledged is there, no demo seed on top, and the next transaction id is new
        assert second.api("GET", "/api/v1/stations/CRASH-1", token=token)["name"] == "Crash test"
        assert second.api("GET", f"/api/v1/charging-users/{user['user_id']}", token=token)["email"] == "kim@example.com"
        item = second.moto_item("transactions", {"transaction_id": {"N": str(tx)}})
        assert item is not None and item["state"] == {"S": "Completed"}
        assert await _charge(second, "EVI00000014") > tx
        # SIGTERM stops it promptly and leaves a snapshot behind
        assert second.stop(signal.SIGTERM, within=30) < 30
        assert second.proc.returncode == 0
        assert _gone(second.moto_pid, 5)
        assert (tmp_path / "dynamodb.json").exists()
    finally:
        if second.proc.poll() is None:
            second.proc.kill()
            second.proc.wait(10)


def test_sigterm_during_start_stops_the_stack_and_its_moto_process(tmp_path):
    # Given: a stack still starting (moto up, the app importing, the demo seed being written)
    http_port, ws_port = _free_ports()
    env = {**os.environ, "CSMS_HTTP_PORT": str(http_port), "CSMS_WS_PORT": str(ws_port),
           "CSMS_DATA_DIR": str(tmp_path), "CSMS_TABLE_PREFIX": PREFIX, "CSMS_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen([sys.executable, "-m", "devstack"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        moto_pid = None
        for line in proc.stdout:
            if "moto process pid" in line:
                moto_pid = int(line.rsplit("pid", 1)[1].strip(" )\n"))
                break
        assert moto_pid is not None

        # When
        os.kill(proc.pid, signal.SIGTERM)

        # Then: stopped within the bound, moto's process with it
        proc.wait(40)
        assert _gone(moto_pid, 5)
        assert "stopping (SIGTERM)" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
