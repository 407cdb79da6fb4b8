"""REST API under /api/v1: each module declares its routes in the one route table (`routing`)."""

from __future__ import annotations

import importlib
import pkgutil

_INFRASTRUCTURE = {"routing", "schemas", "openapi_test_support"}


def load_routes():
    """Import every route module of this package (each declares its routes on import)."""
    from chalicelib.api import routing

    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name not in _INFRASTRUCTURE:
            importlib.import_module(f"{__name__}.{info.name}")
    return routing.ROUTES


def register(app) -> None:
    from chalicelib.api import routing

    routing.mount(app, load_routes())
