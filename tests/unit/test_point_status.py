"""The manual's display status of a charging point, from OCPP statuses and the station's state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.point_status import Reported, display, points

AT = datetime(2026, 11, 21, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ocpp", "shown"),
    [
        ("Available", "Available"),
        ("Preparing", "Charging"),
        ("Charging", "Charging"),
        ("SuspendedEV", "Suspended"),
        ("SuspendedEVSE", "Suspended"),
        ("Finishing", "Charging"),
        ("Reserved", "Unavailable"),
        ("Unavailable", "Unavailable"),
        ("Faulted", "Issue detected"),
        (None, "Unavailable"),
        ("Nonsense", "Unavailable"),
    ],
)
def test_ocpp_statuses_map_to_the_manuals(ocpp, shown):
    assert display(ocpp) == shown


def test_offline_and_disabled_win():
    assert display("Charging", connected=False) == "Offline"
    assert display("Charging", registration="Rejected") == "Disabled"
    assert display("Charging", connected=False, registration="Pending") == "Disabled"


def test_points_use_their_own_status_then_the_stations():
    # Given a station with 2 configured points; connector 0 faulted, connector 2 charging, connector 4 reported
    reported = [Reported(0, "Faulted", "OtherError", at=AT), Reported(2, "Charging", at=AT), Reported(4, "Available")]
    configured = [{"point": 1, "sockets": [{"type": "CCS", "max_kw": 50}]}]
    # When the points are shown
    shown = points(configured, 2, reported, connected=True, registration="Accepted")
    # Then point 1 shows the station's fault, point 2 its own status, and connector 4 comes last, unconfigured
    assert [(p.point, p.status, p.configured) for p in shown] == [(1, "Issue detected", True), (2, "Charging", True), (4, "Available", False)]
    assert shown[0].sockets == [{"type": "CCS", "max_kw": 50}] and shown[1].sockets == []
