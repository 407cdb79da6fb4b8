"""The guessing throttle's rules on the in-memory store: all limits or none, clear versus refund."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import throttle
from chalicelib.memstore import memory_store
from chalicelib.ports.registry import using

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_refused_limit_gives_back_the_attempts_already_taken():
    with using(memory_store()) as store:
        # Given a shared limit with room and a full one
        wide, full = throttle.Limit("wide", 10), throttle.Limit("full", 1)
        throttle.take([full], T0)
        # When an attempt counts against both
        with pytest.raises(throttle.Throttled, match="full"):
            throttle.take([wide, full], T0)
        # Then the shared limit lost nothing
        assert store.throttle.attempts("wide") == 0


def test_success_clears_own_keys_and_refunds_shared_ones():
    with using(memory_store()) as store:
        own, shared = throttle.Limit("own", 5), throttle.Limit("shared", 5, throttle.REFUND)
        throttle.take([own, shared], T0)
        throttle.take([own, shared], T0)
        throttle.succeeded([own, shared])
        assert (store.throttle.attempts("own"), store.throttle.attempts("shared")) == (0, 1)
