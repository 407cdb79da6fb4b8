"""Every contract test runs twice: on the in-memory store and on the DynamoDB store (moto)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["memory", "dynamodb"])
def store(request):
    from chalicelib.ports.registry import using

    if request.param == "memory":
        from chalicelib.memstore import memory_store

        with using(memory_store()) as installed:
            yield installed
        return
    from chalicelib.storage.store import dynamo_store
    from tests.support import moto_tables

    with moto_tables(), using(dynamo_store()) as installed:
        yield installed
