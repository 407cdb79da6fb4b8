"""Live status of charging points as the manual shows it, from OCPP statuses and the station's state.

Display statuses (the manual's icons): Charging, Available, Unavailable, Issue detected, Suspended,
Disabled, plus Offline. Decisions:
- Disabled: the station's registration is not Accepted (Rejected by an operator, or still Pending
  after auto-registration), or an operator disabled it for maintenance: none of its points can
  charge. It wins over Offline, being an operator's decision rather than a transient state.
- Offline: the station is not connected (its last reported statuses are stale).
- Preparing and Finishing show as Charging: the point is taken by a session that is starting
  (authorized or plugged in) or ending (stopped, vehicle still plugged in); `ocpp_status` tells which.
- Reserved shows as Unavailable: nobody else can use the point.
- SuspendedEV and SuspendedEVSE show as Suspended; Faulted as Issue detected.
- A point that never reported a status shows its station's (connector 0) status, else Unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.ports.records import ConnectorStatus

CHARGING = "Charging"
AVAILABLE = "Available"
UNAVAILABLE = "Unavailable"
ISSUE = "Issue detected"
SUSPENDED = "Suspended"
DISABLED = "Disabled"
OFFLINE = "Offline"
DISPLAY_STATUSES = (CHARGING, AVAILABLE, UNAVAILABLE, ISSUE, SUSPENDED, DISABLED, OFFLINE)

_FROM_OCPP = {
    "Available": AVAILABLE,
    "Preparing": CHARGING,
    "Charging": CHARGING,
    "SuspendedEV": SUSPENDED,
    "SuspendedEVSE": SUSPENDED,
    "Finishing": CHARGING,
    "Reserved": UNAVAILABLE,
    "Unavailable": UNAVAILABLE,
    "Faulted": ISSUE,
}


# The last StatusNotification of one connector, as the records port gives it.
Reported = ConnectorStatus


@dataclass(frozen=True)
class PointStatus:
    point: int
    status: str
    ocpp_status: str | None = None
    error_code: str | None = None
    info: str | None = None
    since: datetime | None = None
    configured: bool = True
    sockets: list = field(default_factory=list)


def display(ocpp_status: str | None, *, connected: bool = True, registration: str = "Accepted", disabled: bool = False) -> str:
    """The manual's status of one point."""
    if registration != "Accepted" or disabled:
        return DISABLED
    if not connected:
        return OFFLINE
    return _FROM_OCPP.get(ocpp_status or "", UNAVAILABLE)


def points(
    configured: list[dict], point_count: int, reported: list[Reported], connected: bool, registration: str, disabled: bool = False,
) -> list[PointStatus]:
    """Every configured point (1..point_count), then any other connector the station reported."""
    by_connector = {r.connector_id: r for r in reported}
    station_wide = by_connector.get(0)
    sockets = {int(p.get("point", i + 1)): list(p.get("sockets") or []) for i, p in enumerate(configured)}
    numbers = list(range(1, max(point_count, 0) + 1))
    extra = sorted(c for c in by_connector if c > 0 and c not in numbers)
    result = []
    for number in numbers + extra:
        last = by_connector.get(number) or station_wide
        result.append(
            PointStatus(
                point=number,
                status=display(last.status if last else None, connected=connected, registration=registration, disabled=disabled),
                ocpp_status=last.status if last else None,
                error_code=last.error_code if last else None,
                info=last.info if last else None,
                since=last.at if last else None,
                configured=number in numbers,
                sockets=sockets.get(number, []),
            )
        )
    return result
