"""BootNotification, Heartbeat, StatusNotification, FirmwareStatus, DiagnosticsStatus, DataTransfer."""

from chalicelib.storage import records
from chalicelib.storage.models import StationItem
from tests.support import LambdaCharger
from tests.unit.ocpp_helpers import result_of


def connected(station_id="EVI00000013"):
    charger = LambdaCharger(station_id)
    assert charger.connect()["statusCode"] == 200
    return charger


def test_boot_accepts_a_known_station_and_stores_its_data(demo):
    charger = connected()
    answer = result_of("BootNotification", charger.frame("boot_notification"))
    assert answer["status"] == "Accepted"
    assert 0 < answer["interval"] <= 300
    station = StationItem.get("ACME", "EVI00000013")
    assert (station.vendor, station.model, station.serial_number, station.firmware_version) == (
        "Ensto", "EVF200", "SN-0013", "A999",
    )


def test_heartbeat_answers_current_time(demo):
    answer = result_of("Heartbeat", connected().frame("heartbeat"))
    assert answer["currentTime"].endswith("Z")


def test_status_notification_feeds_events_and_current_status(demo):
    charger = connected()
    assert result_of("StatusNotification", charger.frame("status_notification")) == {}
    charger.call("StatusNotification", {"connectorId": 0, "errorCode": "OtherError", "status": "Available",
                                        "info": "could not handle command", "vendorErrorCode": "E12",
                                        "timestamp": "2026-11-20T23:59:00+00:00"})
    pk = "ACME#EVI00000013"
    statuses = {s.connector_id: (s.status, s.error_code) for s in records.connector_statuses(pk)}
    assert statuses == {1: ("Charging", "NoError"), 0: ("Available", "OtherError")}
    events = records.station_events(pk, "2026-11-21")
    assert [e.info for e in events] == ["Status Update -Type2-"]
    assert events[0].connector_id == 1
    assert [e.info for e in records.station_events(pk, "2026-11-20")] == ["could not handle command"]


def test_firmware_and_diagnostics_progress_is_kept(demo):
    charger = connected()
    assert result_of("FirmwareStatusNotification", charger.frame("firmware_status_notification")) == {}
    assert result_of("DiagnosticsStatusNotification", charger.frame("diagnostics_status_notification")) == {}
    station = StationItem.get("ACME", "EVI00000013")
    assert (station.firmware_status, station.diagnostics_status) == ("Downloading", "Uploaded")


def test_data_transfer_unknown_vendor(demo):
    answer = result_of("DataTransfer", connected().frame("data_transfer"))
    assert answer == {"status": "UnknownVendorId"}


def test_data_transfer_with_a_registered_vendor_handler(demo, monkeypatch):
    from chalicelib.protocol.v16 import data_transfer

    monkeypatch.setitem(data_transfer.VENDOR_HANDLERS, "com.example", lambda ctx, mid, data: {"status": "Accepted", "data": data})
    assert result_of("DataTransfer", connected().frame("data_transfer")) == {"status": "Accepted", "data": "y"}


def test_malformed_frame_keeps_the_connection(demo):
    charger = connected()
    assert charger.send_raw("[2, broken")[:3] == [4, "-1", "FormationViolation"]
    assert result_of("Heartbeat", charger.frame("heartbeat"))
