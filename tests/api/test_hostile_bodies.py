"""Hostile bodies on every route that takes one: a clear 4xx, never "Error #99"."""

from __future__ import annotations

import json
import re

import pytest

from chalicelib.api.routing import MAX_BODY_BYTES, ROUTES

TOO_DEEP = "Invalid request: the body is nested more than 32 levels deep."
TOO_LARGE = "Request body too large: the limit is 64 KiB."


def _body_routes():
    import app  # noqa: F401  (mounting the app fills the route table)

    return [r for r in ROUTES if r.body is not None]


def _nested_object(levels: int) -> bytes:
    value: dict = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return json.dumps(value).encode()


HOSTILE = {
    "5,000 nested [": (b"[" * 5000, 400, TOO_DEEP),
    "5,000 nested [ in a field": (b'{"name": ' + b"[" * 5000 + b"1" + b"]" * 5000 + b"}", 400, TOO_DEEP),
    "an object 33 deep": (_nested_object(33), 400, TOO_DEEP),
    "an oversized body": (json.dumps({"name": "x" * MAX_BODY_BYTES}).encode(), 413, TOO_LARGE),
}


def test_every_body_route_is_covered():
    assert len(_body_routes()) > 20  # the walk below really walks the table


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_every_route_with_a_body_answers_hostile_bodies_with_a_4xx(world, kind):
    raw, status, message = HOSTILE[kind]
    for r in _body_routes():
        # Given an admin (so the pipeline reaches the body) and the route's path with any ids
        path = re.sub(r"{\w+}", "x", r.path)
        # When the hostile body is sent
        reply = world.admin.request(r.method, path, raw)
        # Then the answer is the clear 4xx, never "Error #99"
        assert (reply.status, reply.message) == (status, message), (r.method, r.path)


def test_a_body_at_the_depth_limit_is_still_validated_normally(world):
    reply = world.admin.post("/api/v1/auth/login", _nested_object(32))
    assert reply.status == 400 and reply.message == "Invalid request."
