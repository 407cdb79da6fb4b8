"""devstack.loopback: the local stack's DynamoDB requests leave and come back as through botocore's urllib3 session."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import uuid
from unittest import mock

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError

from devstack.loopback import Transport

NOW = dt.datetime(2026, 11, 26, 14, 5, 9)
ITEM = {"Item": {"name": {"S": "bench"}, "value": {"N": "5"}}, "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}}
FAILED = {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
          "message": "The conditional request failed"}


class CannedServer:
    """A one-thread HTTP/1.1 server on 127.0.0.1 that records each request's raw bytes and answers from a list;
    `close_after` answers close their connection (as a server ending an idle keep-alive connection would)."""

    def __init__(self, answers: list[tuple[int, dict]], close_after: bool = False) -> None:
        self.answers = list(answers)
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while self.answers:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                while self.answers and self._answer(conn):
                    if self.close_after:
                        break

    def _answer(self, conn: socket.socket) -> bool:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return False
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
        while len(body) < length:
            body += conn.recv(65536)
        self.requests.append(head + b"\r\n\r\n" + body)
        status, payload = self.answers.pop(0)
        text = json.dumps(payload).encode()
        conn.sendall(b"HTTP/1.1 %d X\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: req-1\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (status, len(text), text))
        return True

    def close(self) -> None:
        self._server.close()


def _client(port: int, loopback: bool, retries: int = 1):
    session = botocore.session.Session()
    session.set_credentials("AKID", "secret")
    if loopback:
        Transport().install(session)
    return session.create_client("dynamodb", region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}",
                                 config=Config(retries={"total_max_attempts": retries, "mode": "standard"}))


def _exchange(loopbacks: list[bool], answers: list[tuple[int, dict]], calls, **server) -> tuple[list, list[bytes], CannedServer]:
    """Each call made by one client per entry of `loopbacks` (in turn) against one canned server."""
    canned = CannedServer(answers * len(loopbacks), **server)
    outcomes = []
    with mock.patch("botocore.auth.get_current_datetime", return_value=NOW), \
            mock.patch("uuid.uuid4", return_value=uuid.UUID(int=7)):
        for loopback in loopbacks:
            client = _client(canned.port, loopback, retries=2)
            for call in calls:
                try:
                    answer = call(client)
                    answer["ResponseMetadata"].pop("RetryAttempts", None)
                    outcomes.append(answer)
                except ClientError as e:
                    outcomes.append((type(e).__name__, e.response["Error"], str(e)))
    canned.close()
    return outcomes, canned.requests, canned


CALLS = [
    lambda c: c.get_item(TableName="t", Key={"name": {"S": "bench"}}, ReturnConsumedCapacity="TOTAL"),
    lambda c: c.update_item(TableName="t", Key={"name": {"S": "bench"}}, UpdateExpression="ADD v :one",
                            ConditionExpression="attribute_exists(v)", ExpressionAttributeValues={":one": {"N": "1"}}),
]


def test_requests_and_answers_are_the_same_as_through_urllib3():
    outcomes, wire, _ = _exchange([False, True], [(200, ITEM), (400, FAILED)], CALLS)
    plain, ours = outcomes[:2], outcomes[2:]
    plain_wire, ours_wire = wire[:2], wire[2:]
    assert ours == plain
    assert plain[0]["Item"] == {"name": {"S": "bench"}, "value": {"N": "5"}}
    assert plain[1][0] == "ConditionalCheckFailedException" and plain[1][1]["Code"] == "ConditionalCheckFailedException"
    assert "The conditional request failed" in plain[1][2]
    for mine, theirs in zip(ours_wire, plain_wire, strict=True):
        head, _, body = mine.partition(b"\r\n\r\n")
        their_head, _, their_body = theirs.partition(b"\r\n\r\n")
        assert body == their_body
        lines, their_lines = head.split(b"\r\n"), their_head.split(b"\r\n")
        assert lines[0] == their_lines[0] == b"POST / HTTP/1.1"
        # every header and value the same (the invocation id is a fresh uuid each call; the order may differ)
        varying = (b"amz-sdk-invocation-id",)
        assert sorted(h for h in lines[1:] if not h.lower().startswith(varying)) == sorted(
            h for h in their_lines[1:] if not h.lower().startswith(varying))
        assert any(h.startswith(b"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261126/") for h in lines)


def test_a_connection_the_server_closed_is_replaced_without_a_retry():
    outcomes, wire, canned = _exchange([True], [(200, ITEM)] * 3, CALLS[:1] * 3, close_after=True)
    assert len(outcomes) == 3 and all(o["Item"]["value"] == {"N": "5"} for o in outcomes)
    assert len(wire) == 3 and canned.connections == 3  # one request each, none sent twice


def test_kept_alive_connection_serves_every_request():
    outcomes, wire, canned = _exchange([True], [(200, ITEM)] * 3, CALLS[:1] * 3)
    assert len(wire) == 3 and canned.connections == 1


def test_nothing_listening_is_botocores_could_not_connect():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    for loopback in (False, True):
        with pytest.raises(EndpointConnectionError, match=f'Could not connect to the endpoint URL: "http://127.0.0.1:{port}/"'):
            _client(port, loopback).list_tables()


@pytest.mark.parametrize("loopback", [False, True])
def test_a_connection_closed_before_the_answer_is_botocores_connection_closed(loopback):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def drop():
            conn, _ = server.accept()
            conn.recv(65536)
            conn.close()

        threading.Thread(target=drop, daemon=True).start()
        with pytest.raises(ConnectionClosedError, match="Connection was closed before we received a valid response"):
            _client(port, loopback).list_tables()


def test_other_endpoints_are_left_to_botocore():
    transport = Transport()
    for url in ("https://dynamodb.eu-west-1.amazonaws.com/", "http://10.0.0.5:8000/", "https://127.0.0.1:4566/"):
        request = mock.Mock(url=url, stream_output=False)
        assert transport.send(request) is None
