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
