"""The gateway's admission of charger upgrades during a burst (devstack/admission.py)."""

from __future__ import annotations

import logging

from devstack.admission import Admission


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_upgrades_are_taken_while_fewer_are_pending_than_there_are_workers_whatever_the_queue():
    admission = Admission(workers=4, max_pending=10, queue_target=2.0)
    admission.last_wait = 60.0
    admission.pending = 3
    assert admission.admit()
    admission.pending = 4
    assert not admission.admit()


def test_a_standing_queue_refuses_and_a_draining_one_takes_again():
    clock = Clock()
    admission = Admission(workers=2, max_pending=10, queue_target=2.0, clock=clock)
    admission.pending = 6
    admission.started(queued_at=clock.now - 2.5)  # the last $connect to start had waited 2.5 s
    assert not admission.admit()
    admission.started(queued_at=clock.now - 0.4)
    assert admission.admit()


def test_never_more_than_max_pending():
    admission = Admission(workers=8, max_pending=2, queue_target=2.0)
    admission.pending = 2
    assert not admission.admit()


def test_refusals_are_counted_each_and_logged_once_a_second(caplog):
    clock = Clock()
    admission = Admission(workers=1, max_pending=1, queue_target=2.0, clock=clock)
    with caplog.at_level(logging.WARNING, logger="devstack.gateway"):
        for n in range(5):
            admission.refuse(f"CP{n}", "queue full")
        clock.now += 1.0
        admission.refuse("CP9", "queue full")
    assert admission.refused == 6
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith("busy: 1 upgrade(s) answered 503 (last: station=CP0, queue full")
    assert lines[1].startswith("busy: 5 upgrade(s) answered 503 (last: station=CP9, queue full")
