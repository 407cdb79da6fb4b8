"""The firmware port, on both stores: documents with a revision condition and the minute job's sparse index."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.errors import ConditionFailed
from chalicelib.ports.firmware import Campaign, CampaignStation, DiagnosticsUpload, FirmwareFile, FirmwareUpdate

NOW = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)


def _update(station: str, due: datetime | None, org: str = "ACME") -> FirmwareUpdate:
    return FirmwareUpdate(org, station, f"u-{station}", "f1", "2.0", "Requested", "acme-admin", NOW, NOW, NOW, due)


def test_a_file_is_saved_read_back_and_listed(store):
    file = FirmwareFile("ACME", "f1", "fw.bin", "2.0", 1234, "firmware/ACME/f1/fw.bin", "acme-admin", NOW, vendor="Ensto")
    saved = store.firmware.save_file(file)
    assert saved.rev == 1
    assert store.firmware.get_file("ACME", "f1") == saved
    assert store.firmware.files("ACME") == [saved]
    assert store.firmware.files("OTHER") == [] and store.firmware.get_file("OTHER", "f1") is None


def test_a_stale_writer_gets_condition_failed_and_changes_nothing(store):
    first = store.firmware.save_update(_update("CP-1", NOW))
    newer = store.firmware.save_update(replace(first, status="Downloading"))
    with pytest.raises(ConditionFailed):
        store.firmware.save_update(replace(first, status="Failed"))
    assert store.firmware.get_update("ACME", "CP-1") == newer
    with pytest.raises(ConditionFailed):  # a second "first" write of the same record
        store.firmware.save_update(_update("CP-1", NOW))


def test_due_updates_come_from_every_organization_and_leave_when_finished(store):
    due = store.firmware.save_update(_update("CP-1", NOW - timedelta(minutes=1)))
    store.firmware.save_update(_update("CP-2", NOW + timedelta(minutes=5)))
    other = store.firmware.save_update(_update("CP-9", NOW, org="OTHER"))
    assert {(u.org_id, u.station_id) for u in store.firmware.due_updates(NOW)} == {("ACME", "CP-1"), ("OTHER", "CP-9")}
    store.firmware.save_update(replace(due, status="Installed", due_at=None))
    store.firmware.save_update(replace(other, due_at=NOW + timedelta(hours=1)))
    assert store.firmware.due_updates(NOW) == []
    assert [u.station_id for u in store.firmware.updates("ACME")] == ["CP-1", "CP-2"]


def test_campaigns_newest_first_running_ones_found_and_their_stations(store):
    old = store.firmware.save_campaign(Campaign("ACME", "20261126050000-a", "f1", "2.0", "g1", 2, 1, 60, "acme-admin", NOW))
    store.firmware.save_campaign(Campaign("ACME", "20261126060000-b", "f1", "2.0", "g1", 2, 1, 60, "acme-admin", NOW))
    for station in ("CP-2", "CP-1"):
        store.firmware.save_campaign_station(CampaignStation("ACME", old.campaign_id, station, "Waiting", NOW))
    assert [c.campaign_id for c in store.firmware.campaigns("ACME")] == ["20261126060000-b", "20261126050000-a"]
    assert [m.station_id for m in store.firmware.campaign_stations("ACME", old.campaign_id)] == ["CP-1", "CP-2"]
    store.firmware.save_campaign(replace(old, state="Finished", finished_at=NOW))
    assert [c.campaign_id for c in store.firmware.running_campaigns(NOW)] == ["20261126060000-b"]


def test_diagnostics_newest_first_per_station(store):
    for minutes, request in ((0, "d1"), (5, "d2")):
        store.firmware.save_diagnostics(DiagnosticsUpload("ACME", "CP-1", request, f"diagnostics/ACME/CP-1/{request}", "Requested",
                                                          "acme-admin", NOW + timedelta(minutes=minutes), NOW))
    store.firmware.save_diagnostics(DiagnosticsUpload("ACME", "CP-10", "d3", "k", "Requested", "acme-admin", NOW, NOW))
    assert [d.request_id for d in store.firmware.diagnostics("ACME", "CP-1")] == ["d2", "d1"]
    assert [d.request_id for d in store.firmware.diagnostics("ACME", "CP-1", limit=1)] == ["d2"]
