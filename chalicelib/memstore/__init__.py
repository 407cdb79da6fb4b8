"""The in-memory store: every port kept in dicts, for domain tests that take milliseconds."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from chalicelib.ports.registry import PORTS, Store


class MemoryState:
    """The dicts every in-memory port of one store shares, by collection name."""

    def __init__(self) -> None:
        self._collections: dict[str, dict] = {}

    def collection(self, name: str) -> dict:
        return self._collections.setdefault(name, {})


def memory_store() -> Store:
    state = MemoryState()
    factories = {}
    for name in PORTS:
        if find_spec(f"chalicelib.memstore.{name}") is not None:
            factories[name] = _lazy(name, state)
    return Store("memory", factories)


def _lazy(name: str, state: MemoryState):
    def build():
        return import_module(f"chalicelib.memstore.{name}").build(state)

    return build
