"""The gateway's admission of charger upgrades during a burst (devstack/admission.py)."""

from __future__ import annotations

import logging

from devstack.admission import REFUSE, START, WAIT, Admission


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_upgrades_start_while_slots_are_free_then_wait_in_arrival_order():
    clock = Clock()
    admission = Admission(workers=2, max_pending=10, wait_limit=6.0, clock=clock)
    assert [admission.offer(name) for name in "abcd"] == [START, START, WAIT, WAIT]
    assert admission.running == 2 and list(admission.waiting) == ["c", "d"]
    assert admission.next_due() == clock.now + 6.0
    # a slot frees: the first waiting one takes it
    assert admission.release() == "c"
    assert admission.running == 2 and list(admission.waiting) == ["d"]


def test_a_newcomer_waits_behind_those_already_waiting_even_when_a_slot_is_free():
    admission = Admission(workers=1, max_pending=10, wait_limit=6.0)
    assert admission.offer("a") == START
    assert admission.offer("b") == WAIT
    admission.running = 0  # a slot freed, not yet handed on
    assert admission.offer("c") == WAIT
    assert list(admission.waiting) == ["b", "c"]


def test_waiting_upgrades_past_their_limit_expire_in_order_and_leave_the_queue():
    clock = Clock()
    admission = Admission(workers=1, max_pending=10, wait_limit=6.0, clock=clock)
    admission.offer("a")
    admission.offer("b")
    clock.now += 1.0
    admission.offer("c")
    clock.now += 5.5  # b has waited 6.5 s, c 5.5 s
    assert admission.expired() == ["b"]
    assert admission.next_due() == clock.now + 0.5
    assert admission.release() == "c"
    assert admission.release() is None and admission.running == 0


def test_a_waiting_upgrade_whose_client_left_is_forgotten():
    admission = Admission(workers=1, max_pending=10, wait_limit=6.0)
    for name in "abc":
        admission.offer(name)
    admission.leave("b")
    admission.leave("x")  # never waited: nothing happens
    assert list(admission.waiting) == ["c"] and admission.pending == 2


def test_never_more_than_max_pending_started_or_waiting():
    admission = Admission(workers=1, max_pending=2, wait_limit=6.0)
    assert [admission.offer(name) for name in "abc"] == [START, WAIT, REFUSE]
    admission = Admission(workers=8, max_pending=2, wait_limit=6.0)
    assert [admission.offer(name) for name in "abc"] == [START, START, REFUSE]


def test_refusals_are_counted_each_and_logged_once_a_second(caplog):
    clock = Clock()
    admission = Admission(workers=1, max_pending=1, wait_limit=6.0, clock=clock)
    with caplog.at_level(logging.WARNING, logger="devstack.gateway"):
        for n in range(5):
            admission.refuse(f"CP{n}", "queue full")
        clock.now += 1.0
        admission.refuse("CP9", "queue full")
    assert admission.refused == 6
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("busy: 1 upgrade(s) answered 503 (last: station=CP0, queue full; 0 $connects running, 0 waiting)")
    assert lines[1].startswith("busy: 5 upgrade(s) answered 503 (last: station=CP9, queue full; 0 $connects running, 0 waiting)")
