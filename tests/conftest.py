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


def _share_botocore_loader() -> None:
    """One botocore data loader for every session of the process: each test's fresh session (moto_tables
    rebinds, which drops chalicelib.aws's session) would otherwise parse the service JSON again, ~0.3 s a
    test. The loader only reads botocore's bundled files; one session shares it among its clients too."""
    import botocore.session

    create = botocore.session.create_loader
    loaders: dict = {}

    def shared(search_path_string=None):
        if search_path_string not in loaders:
            loaders[search_path_string] = create(search_path_string)
        return loaders[search_path_string]

    botocore.session.create_loader = shared


_share_botocore_loader()

# Every test runs on the DynamoDB store (moto) unless it installs another one.
install_dynamodb()


def pytest_collection_modifyitems(config, items):
    """Under xdist (`make test`: --dist loadgroup) the tests that share a module- or class-scoped fixture
    (a local stack, a booted charger) run on one worker, so it is built once, not once per worker."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None and _shares_a_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def _shares_a_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(d.scope in ("class", "module", "package") for defs in info.name2fixturedefs.values() for d in defs)


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
    from tests.support import replayed

    return replayed("demo", seed_demo)
