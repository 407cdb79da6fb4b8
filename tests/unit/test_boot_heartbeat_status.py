"""BootNotification, Heartbeat, StatusNotification, FirmwareStatus, DiagnosticsStatus, DataTransfer
(app.py's handlers on the in-memory store)."""

from datetime import UTC, datetime

from tests.unit.ocpp_helpers import result_of


def test_boot_accepts_a_known_station_and_stores_its_data(world):
    store, connect = world.store, world.connect
    answer = result_of("BootNotification", connect().frame("boot_notification"))
    assert answer["status"] == "Accepted"
    assert 0 < answer["interval"] <= 300
    station = store.estate.get_station("ACME", "EVI00000013")
    assert (station.vendor, station.model, station.serial_number, station.firmware_version) == (
        "Ensto", "EVF200", "SN-0013", "A999",
    )


def test_heartbeat_answers_current_time(world):
    connect = world.connect
    answer = result_of("Heartbeat", connect().frame("heartbeat"))
    assert answer["currentTime"].endswith("Z")


def test_status_notification_feeds_events_and_current_status(world):
    store, connect = world.store, world.connect
    charger = connect()
    assert result_of("StatusNotification", charger.frame("status_notification")) == {}
    charger.call("StatusNotification", {"connectorId": 0, "errorCode": "OtherError", "status": "Available",
                                        "info": "could not handle command", "vendorErrorCode": "E12",
                                        "timestamp": "2026-11-20T23:59:00+00:00"})
    statuses = {s.connector_id: (s.status, s.error_code) for s in store.records.connector_statuses("ACME", "EVI00000013")}
    assert statuses == {1: ("Charging", "NoError"), 0: ("Available", "OtherError")}

    def events(day: int) -> list:
        start = datetime(2026, 11, day, tzinfo=UTC)
        end = datetime(2026, 11, day + 1, tzinfo=UTC)
        return store.records.event_page("ACME", "EVI00000013", start, end, None, None, 50, None).items

    assert [(e.info, e.connector_id) for e in events(21)] == [("Status Update -Type2-", 1)]
    assert [e.info for e in events(20)] == ["could not handle command"]


def test_firmware_and_diagnostics_progress_is_kept(world):
    store, connect = world.store, world.connect
    charger = connect()
    assert result_of("FirmwareStatusNotification", charger.frame("firmware_status_notification")) == {}
    assert result_of("DiagnosticsStatusNotification", charger.frame("diagnostics_status_notification")) == {}
    station = store.estate.get_station("ACME", "EVI00000013")
    assert (station.firmware_status, station.diagnostics_status) == ("Downloading", "Uploaded")


def test_data_transfer_unknown_vendor(world):
    connect = world.connect
    answer = result_of("DataTransfer", connect().frame("data_transfer"))
    assert answer == {"status": "UnknownVendorId"}


def test_data_transfer_with_a_registered_vendor_handler(world, monkeypatch):
    from chalicelib.protocol.v16 import data_transfer

    connect = world.connect
    monkeypatch.setitem(data_transfer.VENDOR_HANDLERS, "com.example", lambda ctx, mid, data: {"status": "Accepted", "data": data})
    assert result_of("DataTransfer", connect().frame("data_transfer")) == {"status": "Accepted", "data": "y"}


def test_malformed_frame_keeps_the_connection(world):
    connect = world.connect
    charger = connect()
    assert charger.send_raw("[2, broken")[:3] == [4, "-1", "FormationViolation"]
    assert result_of("Heartbeat", charger.frame("heartbeat"))
