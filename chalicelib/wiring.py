"""Which store the entry points use: DynamoDB (PynamoDB), installed once per process."""

from __future__ import annotations

from chalicelib.ports import registry


def install_dynamodb() -> None:
    from chalicelib.storage.store import dynamo_store

    registry.install(dynamo_store())
