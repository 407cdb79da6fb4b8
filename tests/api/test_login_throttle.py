"""Password guessing is throttled without letting a stranger lock a real operator out (ADR 0009).

Parallel guessing is tested on the local stack (tests/integration/test_guessing.py): in-process moto
does not serialize concurrent conditional writes as DynamoDB does.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import PASSWORD

LOGIN = "/api/v1/auth/login"
WRONG = (401, "Wrong credentials.")
THROTTLED = (429, "Too many failed log-in attempts. Try again later.")


@pytest.fixture
def behind_cloudfront(monkeypatch):
    """The deployed setting: the client's address is CloudFront's viewer address header."""
    from chalicelib.settings import get_settings

    monkeypatch.setenv("CSMS_TRUST_VIEWER_ADDRESS", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("CSMS_TRUST_VIEWER_ADDRESS")
    get_settings.cache_clear()


def _login(client, username, password, address="198.51.100.1", device_token=None):
    body = {"username": username, "password": password}
    if device_token:
        body["device_token"] = device_token
    reply = client.post(LOGIN, body, headers={"cloudfront-viewer-address": f"{address}:40123"})
    return reply


def _seen(reply) -> tuple:
    return reply.status, reply.message


def test_known_and_unknown_usernames_get_the_same_answers_at_every_attempt(world, client):
    # Given a real operator and a username nobody has
    for attempt in range(1, 9):
        # When both are guessed wrong, attempt after attempt
        known = _seen(_login(client, "t-basic", f"guess-{attempt}"))
        unknown = _seen(_login(client, "no-such-operator", f"guess-{attempt}"))
        # Then both answers are the same: five times wrong, then throttled
        assert known == unknown == (WRONG if attempt <= 5 else THROTTLED), attempt
    # And even the right password is throttled, like any password of the unknown name
    assert _seen(_login(client, "t-basic", PASSWORD)) == _seen(_login(client, "no-such-operator", PASSWORD)) == THROTTLED


def test_a_stranger_cannot_lock_out_the_operators_known_browser(world, client, behind_cloudfront):
    # Given the operator logged in once from their browser, which keeps the device token
    first = _login(client, "t-admin", PASSWORD, address="192.0.2.10")
    assert first.status == 200
    device_token = first.body["device_token"]
    # When strangers at other addresses guess the password until they are throttled
    seen = [_seen(_login(client, "t-admin", f"guess-{i}", address=f"203.0.113.{i % 6}")) for i in range(30)]
    assert seen[-1] == THROTTLED
    # Then a browser without the token is throttled, even from the operator's address ...
    assert _seen(_login(client, "t-admin", PASSWORD, address="192.0.2.10")) == THROTTLED
    # ... but the operator's browser presenting its device token logs in
    again = _login(client, "t-admin", PASSWORD, address="192.0.2.10", device_token=device_token)
    assert again.status == 200 and again.body["device_token"] == device_token
    # And the stranger gains nothing by presenting someone else's or a made-up token
    other = _login(client, "t-basic", PASSWORD, address="192.0.2.11").body["device_token"]
    for token in (other, "made-up"):
        assert _seen(_login(client, "t-admin", "guess", address="203.0.113.1", device_token=token)) == THROTTLED


def test_a_device_token_has_its_own_limit(world, client, behind_cloudfront):
    device_token = _login(client, "t-admin", PASSWORD).body["device_token"]
    seen = [_seen(_login(client, "t-admin", f"guess-{i}", device_token=device_token)) for i in range(6)]
    assert seen == [WRONG] * 5 + [THROTTLED]
    # The device's failures did not touch the untrusted limits of another address
    assert _login(client, "t-admin", PASSWORD, address="198.51.100.99").status == 200


def test_one_address_is_throttled_over_all_usernames(world, client, behind_cloudfront):
    # Given one address spraying one password over many usernames (4 each: under the per-name limit)
    seen = [_seen(_login(client, f"user-{i // 4}", "Summer2024!", address="203.0.113.66")) for i in range(51)]
    # Then after 50 failures the address is throttled for every username, a real one too
    assert seen[:50] == [WRONG] * 50 and seen[50] == THROTTLED
    assert _seen(_login(client, "t-basic", PASSWORD, address="203.0.113.66")) == THROTTLED
    # And another address is not
    assert _login(client, "t-basic", PASSWORD, address="203.0.113.67").status == 200


def test_after_the_window_the_right_password_works(world, client, monkeypatch, behind_cloudfront):
    from chalicelib import clock

    for i in range(6):
        for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
            _login(client, "t-basic", f"guess-{i}", address=address)
    assert _seen(_login(client, "t-basic", PASSWORD, address="203.0.113.9")) == THROTTLED
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=15, seconds=1))
    assert _login(client, "t-basic", PASSWORD, address="203.0.113.1").status == 200


def test_a_success_forgets_the_failures_of_its_address(world, client):
    for i in range(4):
        assert _seen(_login(client, "t-basic", f"guess-{i}")) == WRONG
    assert _login(client, "t-basic", PASSWORD).status == 200
    seen = [_seen(_login(client, "t-basic", f"again-{i}")) for i in range(6)]
    assert seen == [WRONG] * 5 + [THROTTLED]


def test_guessing_the_current_password_in_my_account_is_throttled_apart_from_log_in(world, client):
    body = {"current_password": "nope", "new_password": "Fresh-Garden-2024"}
    seen = [_seen(world.basic.put("/api/v1/account/password", body)) for _ in range(6)]
    assert seen == [(400, "Wrong credentials.")] * 5 + [THROTTLED]
    # A stolen session's guesses do not lock the operator out of logging in
    assert _login(client, "t-basic", PASSWORD).status == 200


def test_the_client_address_is_cloudfronts_only_when_configured(monkeypatch):
    from chalicelib.domain.throttle import source_address
    from chalicelib.settings import get_settings

    headers = {"cloudfront-viewer-address": "2001:db8::7:443", "x-forwarded-for": "10.9.9.9"}
    get_settings.cache_clear()
    assert source_address("203.0.113.5", headers) == "203.0.113.5"
    monkeypatch.setenv("CSMS_TRUST_VIEWER_ADDRESS", "1")
    get_settings.cache_clear()
    assert source_address("203.0.113.5", headers) == "2001:db8::7"
    assert source_address("203.0.113.5", {"cloudfront-viewer-address": "junk"}) == "203.0.113.5"
    assert source_address(None, {}) == "unknown"
    get_settings.cache_clear()
