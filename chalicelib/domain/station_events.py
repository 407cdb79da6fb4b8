"""What a station reports about itself: boot data, status changes, firmware and diagnostics progress."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import aggregates, heartbeats
from chalicelib.ports.aggregates import StatusReported
from chalicelib.ports.registry import store


def boot(org_id: str, station_id: str, request: dict, now: datetime) -> tuple[str, int]:
    """Store what the station says about itself; answer with its registration and the interval."""
    from chalicelib.ports.stations import BOOT_FIELDS  # here: the frequent frames' import path skips the module

    info = {name: request[key] for key, name in BOOT_FIELDS.items() if key in request}
    station = store().stations.record_boot(org_id, station_id, info, now)
    status = station.registration if station.registration in ("Accepted", "Pending", "Rejected") else "Pending"
    return status, heartbeats.interval(status)


def status(org_id: str, station_id: str, message_id: str, request: dict, at: datetime) -> None:
    """One event in the feed and the connector's current status; a point's new status also moves
    its group's live counters, in the same transaction (a retried frame changes nothing twice)."""
    fields = {
        "connector_id": request["connectorId"],
        "status": request["status"],
        "error_code": request["errorCode"],
        "info": request.get("info"),
        "vendor_id": request.get("vendorId"),
        "vendor_error_code": request.get("vendorErrorCode"),
    }
    connector = str(request["connectorId"])  # 0 = the station: the status of points that never reported
    code = aggregates.status_code(request["status"], request["errorCode"])

    def new_status(live: aggregates.Live) -> aggregates.Live:
        live.statuses[connector] = code
        return live

    if not aggregates.change(org_id, station_id, new_status, StatusReported(message_id, fields, at)):
        store().records.put_status(org_id, station_id, message_id, fields, at)


def progress(org_id: str, station_id: str, kind: str, value: str, message_id: str, now: datetime) -> None:
    """Firmware or diagnostics status: kept on the station and in its event feed."""
    store().stations.record_progress(org_id, station_id, kind, value)
    store().records.put_progress(org_id, station_id, kind, value, message_id, now)
