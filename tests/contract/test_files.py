"""The files port, on both stores: upload forms and URLs name the key; sizes of what was uploaded."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def _upload(store, key: str, data: bytes) -> None:
    if store.kind == "memory":
        store.files.put(key, data)
        return
    from chalicelib import aws
    from chalicelib.settings import get_settings

    aws.s3().put_object(Bucket=get_settings().firmware_bucket, Key=key, Body=data)


def test_size_of_an_uploaded_object_and_none_for_a_missing_one(store):
    assert store.files.size("firmware/ACME/f1/fw.bin") is None
    _upload(store, "firmware/ACME/f1/fw.bin", b"x" * 321)
    assert store.files.size("firmware/ACME/f1/fw.bin") == 321


def test_urls_name_the_key_and_the_form_the_exact_size(store):
    form = store.files.upload_form("firmware/ACME/f1/fw.bin", 321, 900)
    assert form.fields["key"] == "firmware/ACME/f1/fw.bin"
    assert "firmware/ACME/f1/fw.bin" in store.files.upload_url("firmware/ACME/f1/fw.bin", 900)
    download = store.files.download_url("diagnostics/ACME/CP-1/d1", 600, 'diag "1".zip')
    assert urlsplit(download).path.endswith("diagnostics/ACME/CP-1/d1")
    if store.kind == "dynamodb":
        query = parse_qs(urlsplit(download).query)
        assert query["X-Amz-Expires"] == ["600"]
        assert query["response-content-disposition"] == ['attachment; filename="diag 1.zip"']
