"""The health port: a store that answers says so; DynamoDB without its tables is StorageUnavailable."""

from __future__ import annotations

import pytest

from chalicelib.ports.errors import StorageUnavailable


def test_a_store_that_answers_is_healthy(store):
    assert store.health.check() is None


def test_dynamodb_without_its_table_is_unavailable(aws):
    from chalicelib.storage.adapters.health import build
    from chalicelib.storage.models import CounterItem

    CounterItem.delete_table()
    with pytest.raises(StorageUnavailable, match="TableDoesNotExist"):
        build().check()
