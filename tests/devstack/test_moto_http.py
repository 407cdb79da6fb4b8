"""The keep-alive server in front of moto (devstack/moto_http.py): many requests per connection, bodies
read exactly (Content-Length, chunked, Expect: 100-continue), bad requests answered 400, failures 500."""

from __future__ import annotations

import http.client
import json
import socket
import threading

import pytest

from devstack.moto_http import KeepAliveWSGIServer


def echo(environ, start_response):
    if environ["PATH_INFO"] == "/boom":
        raise RuntimeError("boom")
    body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"],
        "query": environ["QUERY_STRING"],
        "target": environ.get("HTTP_X_AMZ_TARGET"),
        "body": body.decode(),
    }
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(seen).encode()]


@pytest.fixture
def server():
    server = KeepAliveWSGIServer("127.0.0.1", 0, echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.close_connections()
    server.server_close()
    thread.join()


def test_requests_share_one_connection_and_get_their_own_bodies(server):
    client = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
    answers = []
    for n in range(3):
        client.request("POST", f"/a%20b?n={n}", body=f"body {n}", headers={"X-Amz-Target": "DynamoDB_20120810.GetItem"})
        answer = client.getresponse()
        answers.append((answer.status, answer.getheader("Connection"), json.loads(answer.read())))
    client.close()
    assert [a[0] for a in answers] == [200, 200, 200] and {a[1] for a in answers} == {"keep-alive"}
    assert answers[2][2] == {
        "method": "POST", "path": "/a b", "query": "n=2", "target": "DynamoDB_20120810.GetItem", "body": "body 2"
    }
    assert server.open_requests() <= 1  # one connection (thread) served all three


def test_chunked_body_and_expect_continue_are_read_whole(server):
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as sock:
        sock.sendall(
            b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        answer = b""
        while b'"body"' not in answer or not answer.endswith(b"}"):
            answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n")
    assert b'"body": "hello world"' in answer


@pytest.mark.parametrize("length", ["-5", "ten"])
def test_unreadable_length_is_answered_400_and_closed(server, length):
    with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as sock:
        sock.sendall(f"POST / HTTP/1.1\r\nContent-Length: {length}\r\n\r\n".encode())
        answer = sock.recv(65536)
        assert sock.recv(65536) == b""  # closed
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"Connection: close" in answer
    assert f"invalid Content-Length '{length}'".encode() in answer


def test_a_failing_app_answers_500_and_the_server_keeps_serving(server):
    client = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
    client.request("POST", "/boom", body=b"")
    assert client.getresponse().status == 500
    client.close()
    client = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
    client.request("POST", "/fine", body=b"x")
    assert json.loads(client.getresponse().read())["body"] == "x"
    client.close()



def test_head_answers_the_apps_length_without_a_body():
    # S3's HeadObject size is the Content-Length of the HEAD answer, as moto's app sets it
    def s3_like(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", "1234")])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else b"x" * 1234]

    server = KeepAliveWSGIServer("127.0.0.1", 0, s3_like)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
        client.request("HEAD", "/bucket/key")
        head = client.getresponse()
        assert (head.status, head.getheader("Content-Length"), head.read()) == (200, "1234", b"")
        client.request("GET", "/bucket/key")  # the connection still serves the next request
        got = client.getresponse()
        assert (got.status, len(got.read())) == (200, 1234)
        client.close()
    finally:
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
