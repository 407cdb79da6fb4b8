"""The DynamoDB client's SigV4 signer (chalicelib.botocore_speed): the same requests, signatures and errors as botocore's."""

from __future__ import annotations

import datetime as dt
import uuid
from unittest import mock

import botocore
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import CredentialResolver, Credentials, RefreshableCredentials

from chalicelib import botocore_speed

NOW = dt.datetime(2026, 11, 26, 14, 5, 9)
_UNSIGNED_VARYING = "amz-sdk-invocation-id"  # a fresh uuid per call, added after signing


class _Captured(Exception):
    pass


def _capture(client, calls) -> list[dict]:
    """Each call's request as it would leave for the wire (method, URL, body, headers), stopped before sending."""
    seen: list[dict] = []

    def stop(request, **_):
        headers = {k: v for k, v in request.headers.items() if k.lower() != _UNSIGNED_VARYING}
        seen.append({"method": request.method, "url": request.url, "body": request.body, "headers": headers})
        raise _Captured

    client.meta.events.register_first("before-send.dynamodb", stop, unique_id="test-capture")
    try:
        # A fixed time, and a fixed uuid for the ClientRequestToken botocore fills in for TransactWriteItems.
        with mock.patch("botocore.auth.get_current_datetime", return_value=NOW), \
                mock.patch("uuid.uuid4", return_value=uuid.UUID(int=7)):
            for call in calls:
                with pytest.raises(Exception) as raised:
                    call()
                assert _Captured in _causes(raised.value), raised.value
    finally:
        client.meta.events.unregister("before-send.dynamodb", unique_id="test-capture")
    return seen


def _causes(error: BaseException) -> set[type]:
    found = set()
    while error is not None:
        found.add(type(error))
        error = error.__cause__ or error.__context__
    return found


@pytest.fixture
def counted_signer(monkeypatch):
    """How many requests chalicelib.botocore_speed.SigV4 signed."""
    signed = []
    original = botocore_speed.SigV4.add_auth
    monkeypatch.setattr(botocore_speed.SigV4, "add_auth", lambda self, request: signed.append(1) or original(self, request))
    return signed


def _model_calls():
    from chalicelib.storage.base import transact_write
    from chalicelib.storage.models import ConnectorStatusItem, CounterItem

    counter = CounterItem("wire", value=1)

    def transact():
        with transact_write() as transaction:
            transaction.update(counter, actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists())
            transaction.condition_check(ConnectorStatusItem, "S#1", "CP#0001", ConnectorStatusItem.pk.exists())

    return [
        lambda: CounterItem.get("wire"),
        lambda: counter.update(actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists()),
        lambda: list(ConnectorStatusItem.query("S#1", ConnectorStatusItem.sk.startswith("CP#"))),
        transact,
    ]


def test_pynamodb_requests_are_identical_on_the_wire_and_signed_by_ours(aws, counted_signer):
    from chalicelib.storage.base import connection

    client = connection().client
    ours = _capture(client, _model_calls())
    assert len(counted_signer) == 4  # the shared connection's client signs with ours
    botocore_speed.uninstall(client)
    try:
        plain = _capture(client, _model_calls())
    finally:
        botocore_speed.install(client)
    assert len(counted_signer) == 4  # botocore's own signer made these
    assert [r["headers"]["X-Amz-Target"] for r in plain] == [
        b"DynamoDB_20120810.GetItem", b"DynamoDB_20120810.UpdateItem", b"DynamoDB_20120810.Query",
        b"DynamoDB_20120810.TransactWriteItems",
    ]
    assert ours == plain
    scope = b"/20261126/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature="
    assert all(scope in r["headers"]["Authorization"] for r in ours)


def test_clients_of_chalicelib_aws_sign_with_ours(aws, counted_signer):
    from chalicelib import aws as clients

    client = clients.client("dynamodb")
    [request] = _capture(client, [lambda: client.list_tables()])
    assert len(counted_signer) == 1
    assert b"Signature=" in request["headers"]["Authorization"]


def _request(payload_signing: bool = True, **change) -> AWSRequest:
    fields = {
        "method": "POST",
        "url": "https://dynamodb.eu-west-1.amazonaws.com/",
        "data": b'{"TableName": "t", "Key": {"pk": {"S": "a"}}}',
        "headers": {"X-Amz-Target": "DynamoDB_20120810.GetItem", "Content-Type": "application/x-amz-json-1.0",
                    "User-Agent": "csms botocore/1.44.5"},
    }
    fields.update(change)
    request = AWSRequest(**fields)
    request.context["payload_signing_enabled"] = payload_signing
    return request


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"url": "http://127.0.0.1:4566/"},  # a port: the host header keeps it
        {"url": "https://dynamodb.eu-west-1.amazonaws.com:443/path/../a%20b?b=2&a=1"},  # default port, path, query
        {"headers": {"X-Amz-Target": "  DynamoDB_20120810.Query   x ", "Expect": "100-continue",
                     "X-Amzn-Trace-Id": "Root=1", "X-Extra": "a   b"}},  # whitespace; unsigned names
        {"data": b""},
        {"data": {"Action": "ListTables", "Note": "a b&c"}},  # a form body: botocore's own hashing
        {"payload_signing": False},  # https without payload signing: UNSIGNED-PAYLOAD
        {"method": "get"},
    ],
)
@pytest.mark.parametrize("token", [None, "session-token"])
def test_the_signature_is_botocores_for_the_same_request_and_time(change, token):
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token).get_frozen_credentials()
    signed = []
    for signer in (SigV4Auth, botocore_speed.SigV4, botocore_speed.SigV4):  # twice: the second with a cached key
        request = _request(**change)
        if change.get("headers"):
            request.headers.add_header("X-Extra", "second value")  # a repeated header: values joined by ","
        with mock.patch("botocore.auth.get_current_datetime", return_value=NOW):
            signer(credentials, "dynamodb", "eu-west-1").add_auth(request)
        signed.append(dict(request.headers.items()))
    assert signed[0] == signed[1] == signed[2]
    assert signed[0]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/eu-west-1/dynamodb")


def test_a_new_day_or_region_derives_a_new_key():
    credentials = Credentials("AKID", "secret").get_frozen_credentials()
    for when, region in ((NOW, "eu-west-1"), (NOW + dt.timedelta(days=1), "eu-west-1"), (NOW, "us-east-1")):
        headers = []
        for signer in (SigV4Auth, botocore_speed.SigV4):
            request = _request()
            with mock.patch("botocore.auth.get_current_datetime", return_value=when):
                signer(credentials, "dynamodb", region).add_auth(request)
            headers.append(request.headers["Authorization"])
        assert headers[0] == headers[1]


class _RotatingProvider:
    """Credentials that expire at once, so botocore refreshes them before every request: a rotation each call."""

    METHOD = "rotating"

    def __init__(self) -> None:
        self.issued = 0

    def load(self):
        return RefreshableCredentials.create_from_metadata(self._next(), self._next, self.METHOD)

    def _next(self) -> dict:
        self.issued += 1
        key = f"AKIDROTATED{self.issued}"
        expiry = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
        return {"access_key": key, "secret_key": f"secret-of-{key}", "token": f"token-of-{key}", "expiry_time": expiry}


def _rotating_client():
    session = botocore.session.Session()
    session.register_component("credential_provider", CredentialResolver([_RotatingProvider()]))
    return session.create_client("dynamodb", region_name="eu-west-1", endpoint_url="http://127.0.0.1:9")


def test_rotated_credentials_change_the_signature(counted_signer):
    calls = lambda client: [lambda: client.list_tables(), lambda: client.list_tables()]  # noqa: E731
    ours_client = _rotating_client()
    assert botocore_speed.install(ours_client)
    ours = _capture(ours_client, calls(ours_client))
    plain_client = _rotating_client()
    plain = _capture(plain_client, calls(plain_client))
    assert len(counted_signer) == 2
    assert ours == plain
    first, second = (r["headers"]["Authorization"] for r in ours)
    assert first.split(b"/")[0] != second.split(b"/")[0]  # Credential=AKIDROTATED<n>: another key
    assert first.split(b"Signature=")[1] != second.split(b"Signature=")[1]
    assert ours[1]["headers"]["X-Amz-Security-Token"] != ours[0]["headers"]["X-Amz-Security-Token"]


def test_errors_surface_the_same_through_pynamodb(aws, counted_signer):
    from pynamodb.exceptions import TransactWriteError, UpdateError

    from chalicelib.storage.base import connection, transact_write
    from chalicelib.storage.models import CounterItem

    def failures() -> list[tuple[str, str, list]]:
        seen = []
        absent = CounterItem("absent", value=0)
        with pytest.raises(UpdateError) as update:
            absent.update(actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists())
        seen.append((type(update.value).__name__, update.value.cause_response_code, []))
        with pytest.raises(TransactWriteError) as transaction:
            with transact_write() as write:
                write.update(absent, actions=[CounterItem.value.add(1)], condition=CounterItem.name.exists())
        reasons = [reason and reason.code for reason in transaction.value.cancellation_reasons]
        seen.append((type(transaction.value).__name__, transaction.value.cause_response_code, reasons))
        return seen

    ours = failures()
    assert len(counted_signer) == 2
    client = connection().client
    botocore_speed.uninstall(client)
    try:
        plain = failures()
    finally:
        botocore_speed.install(client)
    assert ours == plain == [
        ("UpdateError", "ConditionalCheckFailedException", []),
        ("TransactWriteError", "TransactionCanceledException", ["ConditionalCheckFailed"]),
    ]


def test_another_botocore_version_keeps_botocores_signer(monkeypatch, counted_signer):
    monkeypatch.setattr(botocore, "__version__", "1.44.6")
    client = botocore.session.get_session().create_client("dynamodb", region_name="eu-west-1",
                                                          endpoint_url="http://127.0.0.1:9")
    assert botocore_speed.install(client) is False
    [request] = _capture(client, [lambda: client.list_tables()])
    assert counted_signer == []
    assert b"Signature=" in request["headers"]["Authorization"]


@pytest.mark.parametrize(
    ("kwargs", "answer"),
    [
        ({}, "v4-csms"),
        ({"context": {"auth_type": None, "client_config": botocore.config.Config(signature_version="v4")}}, "v4-csms"),
        ({"signature_version": "v4-query"}, None),  # a presigned URL
        ({"signing_name": "s3"}, None),
        ({"context": {"auth_type": "v4", "unsigned_payload": True}}, None),
        ({"context": {"auth_type": "v4a"}}, None),
        ({"context": {"auth_type": "v4", "client_config": botocore.config.Config(signature_version="s3v4")}}, None),
        ({"context": {"auth_type": "v4", "client_config": botocore.config.Config(auth_scheme_preference="sigv4a")}},
         None),
    ],
)
def test_ours_is_chosen_only_where_botocore_would_sign_with_plain_v4(kwargs, answer):
    call = {"signature_version": "v4", "signing_name": "dynamodb", "context": {"auth_type": "v4"}, **kwargs}
    assert botocore_speed.choose_signer(**call) == answer
