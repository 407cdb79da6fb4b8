"""Firmware files through the REST API: a presigned upload form, the confirmation, the list; the
versions inventory; the station's update status from its FirmwareStatusNotifications."""

from __future__ import annotations

import requests

from tests.api.conftest import world  # noqa: F401 (fixture)
from tests.support import LambdaCharger

FILES = "/api/v1/firmware/files"


def _start(world, size=8, **extra):  # noqa: F811
    reply = world.admin.post(FILES, {"name": "EVF200 2.1.bin", "version": "2.1", "size": size, **extra})
    assert reply.status == 201, reply
    return reply.body


def test_an_admin_uploads_a_file_with_the_presigned_form_and_confirms_it(world):  # noqa: F811
    # Given an upload started for an 8-byte file of a vendor's model
    started = _start(world, vendor="Ensto", model="EVF200")
    file_id, form = started["file"]["file_id"], started["upload"]
    assert started["file"]["state"] == "Awaiting upload" and started["file"]["uploaded_by"] == "t-admin"
    assert form["method"] == "POST" and form["expires_in"] == 900
    assert form["fields"]["key"] == f"firmware/ACME/{file_id}/EVF200_2.1.bin"
    # Confirming before the upload says so
    early = world.admin.post(f"{FILES}/{file_id}/uploaded")
    assert (early.status, early.message) == (409, "The firmware file has not been uploaded yet.")
    # When the browser posts the form (moto's S3 answers through the mocked HTTP layer)
    posted = requests.post(form["url"], data=form["fields"], files={"file": ("fw.bin", b"FIRMWARE")}, timeout=10)
    assert posted.status_code in (200, 204), posted.text
    # Then the confirmation makes it Ready and the list shows it with who uploaded it
    done = world.admin.post(f"{FILES}/{file_id}/uploaded")
    assert done.status == 200 and done.body["state"] == "Ready" and done.body["uploaded_at"]
    listed = world.basic.get(FILES).body["items"]
    assert [(f["file_id"], f["name"], f["version"], f["size"], f["vendor"], f["model"]) for f in listed] == [
        (file_id, "EVF200 2.1.bin", "2.1", 8, "Ensto", "EVF200")
    ]


def test_a_file_of_another_size_is_not_accepted(world):  # noqa: F811
    from chalicelib import aws
    from chalicelib.settings import get_settings

    started = _start(world, size=8)
    aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key=started["upload"]["fields"]["key"], Body=b"123")
    reply = world.admin.post(f"{FILES}/{started['file']['file_id']}/uploaded")
    assert (reply.status, reply.message) == (409, "The uploaded firmware file is 3 bytes, not the 8 bytes declared.")


def test_basic_operators_cannot_upload_and_bad_input_is_refused(world):  # noqa: F811
    denied = world.basic.post(FILES, {"name": "x.bin", "version": "1", "size": 8})
    assert (denied.status, denied.message) == (403, "Access denied.")
    empty = world.admin.post(FILES, {"name": "x.bin", "version": "1", "size": 0})
    assert empty.status == 400 and [e["field"] for e in empty.body["errors"]] == ["size"]
    missing = world.admin.post(f"{FILES}/nope/uploaded")
    assert (missing.status, missing.message) == (404, "Firmware file not found.")
    assert world.other_org.get(FILES).body["items"] == []  # another organization's files stay its own


def test_versions_inventory_counts_the_booted_versions_of_the_domain(world):  # noqa: F811
    for station_id, version in (("EVI00000013", "1.0"), ("EVI00000014", "1.0"), ("EVI00000015", "2.1")):
        charger = LambdaCharger(station_id)
        charger.connect()
        charger.call("BootNotification", {"chargePointVendor": "Ensto", "chargePointModel": "EVF200", "firmwareVersion": version})
    whole = world.basic.get("/api/v1/firmware/versions").body
    assert whole["versions"] == {"1.0": 2, "2.1": 1, "unknown": 3}
    assert [(r["station_id"], r["firmware_version"]) for r in whole["stations"]][:3] == [
        ("EVI00000013", "1.0"), ("EVI00000014", "1.0"), ("EVI00000015", "2.1")
    ]
    birch = world.sibling.get("/api/v1/firmware/versions").body  # the Birch Mall admin sees only Birch
    assert birch["versions"] == {"2.1": 1, "unknown": 1}
    pine = world.groups["ACME Pine Mall"].group_id
    assert world.admin.get(f"/api/v1/firmware/versions?group_id={pine}").body["versions"] == {"1.0": 2}
    assert world.sibling.get(f"/api/v1/firmware/versions?group_id={pine}").status == 404


def test_firmware_status_notifications_move_the_station_update_and_a_quiet_one_times_out(world):  # noqa: F811
    from datetime import timedelta

    from chalicelib import clock
    from chalicelib.domain import firmware_updates
    from chalicelib.ports.firmware import FirmwareUpdate
    from chalicelib.ports.registry import store

    now = clock.now()
    store().firmware.save_update(FirmwareUpdate("ACME", "EVI00000013", "u1", "f1", "2.1", "Accepted", "t-admin", now, now, now, now + timedelta(hours=1)))
    charger = LambdaCharger("EVI00000013")
    charger.connect()
    path = "/api/v1/stations/EVI00000013/firmware-update"
    for status in ("Downloading", "Downloaded", "Installing"):
        assert charger.call("FirmwareStatusNotification", {"status": status})[0] == 3
        assert world.basic.get(path).body["status"] == status
    assert world.sibling.get(path).status == 404
    # Nothing more from the station: an hour later the minute job marks the update Failed
    assert firmware_updates.expire(now + timedelta(minutes=59)) == 0
    assert firmware_updates.expire(now + timedelta(minutes=61)) == 1
    failed = world.admin.get(path).body
    assert failed["status"] == "Failed"
    assert failed["reason"] == "No firmware status from the charging station for 60 minutes (last: Installing)."
    # ... and the station's own word still wins when it comes late
    charger.call("FirmwareStatusNotification", {"status": "Installed"})
    assert world.admin.get(path).body["status"] == "Installed"
    assert store().firmware.due_updates(now + timedelta(days=1)) == []
