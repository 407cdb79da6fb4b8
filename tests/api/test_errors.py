"""Failures that are not the operator's fault answer "Error #NN" with a stable code and a request id."""

from __future__ import annotations

import json
import logging

from tests.api.conftest import PASSWORD

ERROR_10 = "Error #10 encountered. If this error persists, please consult user manual for further actions."


class _Records(logging.Handler):
    def __init__(self, formatter) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[dict] = []

    def emit(self, record) -> None:
        self.lines.append(json.loads(self.format(record)))


def test_storage_failure_is_error_10_with_the_request_id_logged(world):
    from chalicelib.observability import logger
    from chalicelib.storage.models import OperatorSessionItem

    records = _Records(logger.registered_formatter)
    logger.addHandler(records)

    # Given a logged-in operator, and then the sessions table gone (DynamoDB answers an error)
    OperatorSessionItem.delete_table()
    # When they make any request
    reply = world.admin.get("/api/v1/auth/session")
    # Then the answer is the manual's system error with code 10 and a request id
    assert reply.status == 503
    assert reply.body["message"] == ERROR_10
    assert reply.body["code"] == 10
    request_id = reply.body["request_id"]
    assert request_id
    # And the log names the same request id and the code
    logger.removeHandler(records)
    assert any(entry.get("request_id") == request_id and entry.get("code") == 10 for entry in records.lines)


def test_a_domain_error_is_not_a_system_error(world, client):
    reply = client.post("/api/v1/auth/login", {"username": "t-admin", "password": PASSWORD + "x"})
    assert reply.status == 401 and "code" not in {k for k, v in reply.body.items() if v is not None}


def test_unknown_route_and_wrong_method_are_4xx(client, aws):
    assert client.get("/api/v1/no-such-thing").status in (403, 404)
    assert client.request("DELETE", "/api/v1/health").status == 405


def test_request_ids_are_unique(client, aws):
    logging.getLogger().setLevel(logging.WARNING)
    a = client.get("/api/v1/auth/session").body["request_id"]
    b = client.get("/api/v1/auth/session").body["request_id"]
    assert a != b
