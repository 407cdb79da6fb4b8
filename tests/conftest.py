"""Shared fixtures: AWS replaced by moto in-process, tables created from the models."""

from __future__ import annotations

import os

import pytest

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "CSMS_TABLE_PREFIX": "csms-test-",
        # argon2's cheapest parameters: same code and hash format, milliseconds instead of seconds.
        "CSMS_TEST_CHEAP_PASSWORD_HASHES": "1",
        "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
    }
)
for _name in ("CSMS_AWS_ENDPOINT", "CSMS_DYNAMODB_ENDPOINT", "CSMS_WS_MANAGEMENT_ENDPOINT"):
    os.environ.pop(_name, None)

from chalicelib.wiring import install_dynamodb  # noqa: E402

# Every test runs on the DynamoDB store (moto) unless it installs another one.
install_dynamodb()


@pytest.fixture
def aws():
    """moto for every AWS service; the models rebound to it and every table created."""
    from tests.support import moto_tables

    with moto_tables():
        yield


@pytest.fixture
def demo(aws):
    """The ACME demo organization of the manual."""
    from chalicelib.seed import seed_demo

    return seed_demo()
