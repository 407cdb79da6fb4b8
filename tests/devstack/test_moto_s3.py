"""The local stack's moto serves S3 to HTTP clients other than botocore: presigned PUT, POST and GET."""

from __future__ import annotations

import urllib.request

import pytest
import requests


@pytest.fixture
def moto(monkeypatch):
    from chalicelib.storage.base import rebind
    from devstack.aws import EmbeddedAws

    aws = EmbeddedAws()
    aws.start()
    monkeypatch.setenv("CSMS_AWS_ENDPOINT", aws.endpoint)
    rebind()
    from chalicelib import aws as clients
    from chalicelib.settings import get_settings

    clients.s3().create_bucket(Bucket=get_settings().firmware_bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield aws.endpoint
    aws.stop()
    monkeypatch.delenv("CSMS_AWS_ENDPOINT")
    rebind()


def test_presigned_urls_reach_moto_from_the_host_and_keep_the_bytes(moto):
    from chalicelib.storage.adapters.files import build

    files = build()
    # a charger's PUT, labelled as a form the way urllib (and some chargers) do
    put = files.upload_url("diagnostics/ACME/CP-1/d1", 600)
    assert put.startswith(moto + "/")
    request = urllib.request.Request(put, data=b"diagnostics of CP-1", method="PUT")  # noqa: S310
    assert urllib.request.urlopen(request, timeout=10).status == 200  # noqa: S310
    assert files.size("diagnostics/ACME/CP-1/d1") == len(b"diagnostics of CP-1")
    # an operator's browser posting the upload form
    form = files.upload_form("firmware/ACME/f1/fw.bin", 8, 900)
    posted = requests.post(form.url, data=form.fields, files={"file": ("fw.bin", b"FIRMWARE")}, timeout=10)
    assert posted.status_code == 204
    assert files.size("firmware/ACME/f1/fw.bin") == 8
    # and a download link
    with urllib.request.urlopen(files.download_url("firmware/ACME/f1/fw.bin", 300, "fw.bin"), timeout=10) as got:  # noqa: S310
        assert (got.read(), got.headers["Content-Disposition"]) == (b"FIRMWARE", 'attachment; filename="fw.bin"')
