"""The DynamoDB store: each port's PynamoDB adapter, imported only when first used."""

from __future__ import annotations

from importlib import import_module

from chalicelib.ports.registry import PORTS, Store


def dynamo_store() -> Store:
    return Store("dynamodb", {name: _lazy(name) for name in PORTS if _has_adapter(name)}, translate=_recognised)


def _recognised(exc: BaseException):
    from chalicelib.storage.errors import recognised

    return recognised(exc)


def _lazy(name: str):
    def build():
        return import_module(f"chalicelib.storage.adapters.{name}").build()

    return build


def _has_adapter(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(f"chalicelib.storage.adapters.{name}") is not None
