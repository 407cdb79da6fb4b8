"""Parallel password guessing over HTTP against the local stack, whose DynamoDB applies one write at a time."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

WRONG = (401, "Wrong credentials.")
THROTTLED = (429, "Too many failed log-in attempts. Try again later.")


def _login(stack, username: str, password: str, address: str | None = None) -> tuple[int, str]:
    headers = {"content-type": "application/json"}
    if address:
        headers["cloudfront-viewer-address"] = f"{address}:50000"
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(f"{stack.http_url}/api/v1/auth/login", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (the local stack)
            return answer.status, json.loads(answer.read()).get("message", "")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()).get("message", "")


@pytest.mark.parametrize(("threads", "username"), [(20, "acme-admin"), (40, "acme-basic-guess")])
def test_parallel_guesses_from_one_address_check_at_most_five(stack, threads, username):
    # Given an attacker firing many guesses at one username at once, from one address
    with ThreadPoolExecutor(threads) as pool:
        seen = list(pool.map(lambda i: _login(stack, username, f"guess-{i}"), range(threads)))
    # Then at most five guesses were checked (401); all the others were refused unchecked (429)
    assert seen.count(WRONG) <= 5, seen
    assert seen.count(WRONG) + seen.count(THROTTLED) == threads, seen


def test_parallel_guesses_from_many_addresses_stop_at_the_username_limit(stack, monkeypatch):
    from chalicelib.settings import get_settings

    # Given the deployed setting (CloudFront in front), and 40 addresses guessing one name at once
    monkeypatch.setenv("CSMS_TRUST_VIEWER_ADDRESS", "1")
    get_settings.cache_clear()
    try:
        with ThreadPoolExecutor(40) as pool:
            seen = list(pool.map(lambda i: _login(stack, "acme-org-admin", f"g{i}", f"203.0.113.{i + 1}"), range(40)))
    finally:
        monkeypatch.delenv("CSMS_TRUST_VIEWER_ADDRESS")
        get_settings.cache_clear()
    # Then no more than the per-username limit of untrusted browsers (20) were checked
    assert seen.count(WRONG) <= 20, seen
    assert seen.count(WRONG) + seen.count(THROTTLED) == 40, seen


async def test_charger_password_guessing_through_the_gateway(stack, monkeypatch):
    import base64
    from datetime import timedelta

    import websockets
    from websockets.exceptions import InvalidStatus

    from chalicelib import clock
    from chalicelib.domain import provisioning

    provisioning.create_station("ACME", "GUESSED-1", password="Very-s3cret-9", exist_ok=True)

    async def handshake(password: str) -> int:
        auth = "Basic " + base64.b64encode(f"GUESSED-1:{password}".encode()).decode()
        try:
            async with websockets.connect(f"{stack.ws_url}/ACME/GUESSED-1", subprotocols=["ocpp1.6"],
                                          additional_headers={"Authorization": auth}):
                return 101
        except InvalidStatus as refused:
            return refused.response.status_code

    # Given 50 wrong passwords through the real gateway: five checked, the rest refused with 429
    seen = [await handshake(f"guess-{i}") for i in range(50)]
    assert seen == [401] * 5 + [429] * 45
    # And the right one waits for the window to end, then connects
    assert await handshake("Very-s3cret-9") == 429
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=15, seconds=1))
    assert await handshake("Very-s3cret-9") == 101
