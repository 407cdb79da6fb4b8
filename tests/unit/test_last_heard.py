""""Last heard" costs no write per frame: a connected station's latest activity is the gateway's (API
Gateway's LastActiveAt, read when an operator opens the station), the stored contacts otherwise."""

from __future__ import annotations

from datetime import timedelta

from chalicelib import clock
from chalicelib.domain import station_view
from chalicelib.domain.access import Principal

STATION = "EVI00000013"


def test_frames_write_no_last_heard_and_details_read_the_gateways_last_activity(world, monkeypatch):
    charger = world.connect(STATION)
    charger.frame("boot_notification")
    record = world.store.stations.raw("ACME", STATION)
    before = dict(record)
    start = clock.now()
    for minutes in (6, 12, 18):  # Heartbeats five minutes and more apart, as a 300 s interval sends them
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + timedelta(minutes=m))
        charger.frame("heartbeat", **{"hb-1": f"hb-{minutes}"})
    assert world.store.stations.raw("ACME", STATION) == before  # not one write for being heard
    admin = Principal("ada", "ACME", "admin", record["group_id"], record["group_path"], role_at_login="admin")
    # Connected: the details show the gateway's last activity of the open connection
    world.store.chargers.active(charger.connection_id, start + timedelta(minutes=18))
    assert station_view.details(admin, STATION).last_seen_at == start + timedelta(minutes=18)
    # Gone meanwhile: the stored contacts (connection, boot) are all there is
    world.store.chargers.gone(charger.connection_id)
    contacts = [t for t in (record["connected_at"], record["last_boot_at"]) if t is not None]
    assert station_view.details(admin, STATION).last_seen_at == max(contacts)
