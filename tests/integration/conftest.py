"""The whole local stack (moto, gateway, REST) with the real app, once per module."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from devstack.stack import LocalStack

    with LocalStack(http_port=0, ws_port=0, data_dir=tmp_path_factory.mktemp("stack"), snapshot=False) as running:
        yield running
