"""Read-change-save under a condition: retried on the newer record, never a record returned unsaved."""

from __future__ import annotations

import logging

import pytest

from chalicelib.domain import optimistic
from chalicelib.domain.errors import Conflict
from chalicelib.ports.errors import ConditionFailed


class Records:
    """A record store whose saves lose to `losses` concurrent saves first (each bumps the stored revision)."""

    def __init__(self, losses: int) -> None:
        self.stored = {"rev": 1, "status": "Requested"}
        self.losses = losses
        self.saved: list[dict] = []

    def save(self, wanted: dict) -> dict:
        if self.losses or wanted["rev"] != self.stored["rev"]:
            self.losses = max(0, self.losses - 1)
            self.stored = {**self.stored, "rev": self.stored["rev"] + 1}  # someone else saved meanwhile
            raise ConditionFailed("revision")
        self.stored = {**wanted, "rev": wanted["rev"] + 1}
        self.saved.append(self.stored)
        return self.stored

    def reread(self, _old: dict) -> dict:
        return dict(self.stored)


def test_a_lost_save_is_applied_again_to_the_newer_record():
    records = Records(losses=2)
    saved = optimistic.save_changed(
        dict(records.stored), lambda r: {**r, "status": "Uploaded"}, records.save, records.reread, conflict="changed"
    )
    assert saved == {"rev": 4, "status": "Uploaded"} == records.stored
    assert records.saved == [saved]


def test_nothing_to_change_saves_nothing():
    records = Records(losses=0)
    assert optimistic.save_changed(dict(records.stored), lambda r: None, records.save, records.reread, conflict="x") == records.stored
    assert records.saved == []


def test_saves_that_keep_losing_end_in_conflict_not_in_an_unsaved_record():
    records = Records(losses=10)
    with pytest.raises(Conflict, match="^The request was changed at the same time.$"):
        optimistic.save_changed(dict(records.stored), lambda r: {**r, "status": "Uploaded"}, records.save, records.reread,
                                conflict="The request was changed at the same time.")
    assert records.saved == []


def test_a_record_gone_meanwhile_is_a_conflict():
    records = Records(losses=1)
    with pytest.raises(Conflict):
        optimistic.save_changed(dict(records.stored), lambda r: {**r, "status": "x"}, records.save, lambda _: None, conflict="gone")


def test_a_chargers_report_that_cannot_be_saved_is_logged_for_the_operator(caplog):
    def lost() -> None:
        raise Conflict("The diagnostics request was changed at the same time. Try again.")

    with caplog.at_level(logging.WARNING):
        optimistic.reported("DiagnosticsStatusNotification", "EVI00000013", lost)
    [record] = [r for r in caplog.records if r.getMessage() == "station report not saved: concurrent changes"]
    assert (record.levelname, record.report, record.station) == ("WARNING", "DiagnosticsStatusNotification", "EVI00000013")
