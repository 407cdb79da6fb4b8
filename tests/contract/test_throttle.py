"""The throttle port on both stores: windows, limits, release, clear and trusted devices, time injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_a_window_holds_limit_attempts_then_refuses(store):
    # Given a limit of 3
    port = store.throttle
    # When 4 attempts come in the window
    taken = [port.reserve("k", 3, T0 + timedelta(seconds=i), WINDOW) for i in range(4)]
    # Then the 4th is refused and 3 are counted
    assert taken == [True, True, True, False]
    assert port.attempts("k") == 3


def test_a_new_window_starts_once_the_last_one_ended(store):
    port = store.throttle
    for _ in range(2):
        assert port.reserve("k", 2, T0, WINDOW)
    assert not port.reserve("k", 2, T0 + WINDOW - timedelta(seconds=1), WINDOW)
    assert port.reserve("k", 2, T0 + WINDOW, WINDOW)
    assert port.attempts("k") == 1


def test_release_gives_one_back_and_never_goes_below_zero(store):
    port = store.throttle
    port.reserve("k", 1, T0, WINDOW)
    assert not port.reserve("k", 1, T0, WINDOW)
    port.release("k")
    port.release("k")
    port.release("missing")
    assert port.attempts("k") == 0 and port.attempts("missing") == 0
    assert port.reserve("k", 1, T0, WINDOW)
    assert port.attempts("k") == 1


def test_clear_forgets_only_its_key(store):
    port = store.throttle
    port.reserve("a", 5, T0, WINDOW)
    port.reserve("b", 5, T0, WINDOW)
    port.clear("a")
    port.clear("never-used")
    assert (port.attempts("a"), port.attempts("b")) == (0, 1)


def test_trusted_devices_are_read_back_by_hash(store):
    port = store.throttle
    port.trust_device("abc", "alice", T0 + timedelta(days=90))
    device = port.device("abc")
    assert (device.username, device.expires_at) == ("alice", T0 + timedelta(days=90))
    assert port.device("other") is None
