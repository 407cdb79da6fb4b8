"""What a station reports about itself: boot data, status changes, firmware and diagnostics progress."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain import aggregates
from chalicelib.settings import get_settings
from chalicelib.storage import records, stations
from chalicelib.storage.models import EventItem, StationItem

_BOOT_FIELDS = {
    "chargePointVendor": StationItem.vendor,
    "chargePointModel": StationItem.model,
    "chargePointSerialNumber": StationItem.serial_number,
    "chargeBoxSerialNumber": StationItem.box_serial_number,
    "firmwareVersion": StationItem.firmware_version,
    "iccid": StationItem.iccid,
    "imsi": StationItem.imsi,
    "meterType": StationItem.meter_type,
    "meterSerialNumber": StationItem.meter_serial_number,
}
PENDING_RETRY_INTERVAL = 60


def boot(org_id: str, station_id: str, request: dict, now: datetime) -> tuple[str, int]:
    """Store what the station says about itself; answer with its registration and the interval."""
    actions = [attr.set(request[key]) for key, attr in _BOOT_FIELDS.items() if key in request]
    actions.append(StationItem.last_boot_at.set(now))
    station = stations.update_station(org_id, station_id, actions)
    status = station.registration if station.registration in ("Accepted", "Pending", "Rejected") else "Pending"
    interval = get_settings().heartbeat_interval if status == "Accepted" else PENDING_RETRY_INTERVAL
    return status, interval


def status(pk: str, message_id: str, request: dict, at: datetime) -> None:
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
    org_id, station_id = pk.split("#", 1)
    connector = str(request["connectorId"])  # 0 = the station: the status of points that never reported
    code = aggregates.status_code(request["status"], request["errorCode"])

    def new_status(live: aggregates.Live) -> aggregates.Live:
        live.statuses[connector] = code
        return live

    def writes(tx) -> None:
        records.add_status(tx, pk, message_id, fields, at)

    if not aggregates.change(org_id, station_id, new_status, writes):
        records.put_status(pk, message_id, fields, at)


def progress(org_id: str, station_id: str, kind: str, value: str, message_id: str, now: datetime) -> None:
    """Firmware or diagnostics status: kept on the station and in its event feed."""
    attr = StationItem.firmware_status if kind == "FirmwareStatusNotification" else StationItem.diagnostics_status
    stations.update_station(org_id, station_id, [attr.set(value)])
    pk = f"{org_id}#{station_id}"
    EventItem(pk, records.event_sk(now, message_id), kind=kind, connector_id=0, status=value, info=value, timestamp=now).save()
