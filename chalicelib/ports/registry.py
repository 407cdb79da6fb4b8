"""The installed store: one object holding every port, each implementation built on first use.

The edges (app.py, csmsctl, the tests) install a store once; the domain asks `store()` for it. Building
a port lazily keeps a cold Lambda from importing storage code its route never touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from chalicelib.ports.errors import StorageError

# The ports, named after what the domain needs (see docs/architecture.md).
PORTS = (
    "stations", "connections", "records", "aggregates", "operators", "users", "throttle", "mail", "estate", "health",
    "chargers", "calls", "configuration", "stuck", "load", "station_settings", "firmware", "files", "reports",
    "tasks",
)


class Store:
    """A set of ports; `factories` maps each port name to a function building its implementation."""

    def __init__(
        self,
        kind: str,
        factories: dict[str, Callable[[], Any]],
        translate: Callable[[BaseException], StorageError | None] | None = None,
    ) -> None:
        unknown = set(factories) - set(PORTS)
        if unknown:
            raise ValueError(f"unknown ports: {sorted(unknown)}")
        self.kind = kind
        self._factories = factories
        self._built: dict[str, Any] = {}
        # The implementation's own exceptions that escaped its translation, as ports.errors (or None).
        self._translate = translate

    def storage_error(self, exc: BaseException) -> StorageError | None:
        """`exc` as a storage error: one of ports.errors, or an implementation's exception it recognises."""
        if isinstance(exc, StorageError):
            return exc
        return self._translate(exc) if self._translate is not None else None

    def port(self, name: str) -> Any:
        built = self._built.get(name)
        if built is None:
            if name not in self._factories:
                raise LookupError(f"the {self.kind} store has no {name!r} port")
            built = self._built[name] = self._factories[name]()
            if not hasattr(type(self), name):
                # Later `store().<name>` reads are a plain attribute, not __getattr__ + port() (per frame).
                setattr(self, name, built)
        return built

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.port(name)


_installed: Store | None = None


def install(store: Store) -> None:
    global _installed
    _installed = store


def store() -> Store:
    if _installed is None:
        raise RuntimeError("no store installed: the entry point must call chalicelib.wiring.install_dynamodb()")
    return _installed


@contextmanager
def using(replacement: Store) -> Iterator[Store]:
    """Install `replacement` for the duration (tests)."""
    global _installed
    previous = _installed
    _installed = replacement
    try:
        yield replacement
    finally:
        _installed = previous
