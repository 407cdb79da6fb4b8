"""REST API under /api/v1: each module declares its routes in the one route table (`routing`)."""

from __future__ import annotations

import importlib
import os
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


def serves_rest() -> bool:
    """Only the REST function loads the routes: the WebSocket and scheduled functions share app.py,
    and importing some sixty routes' models would double their cold start (CSMS_FUNCTION_ROLE is
    set per function in .chalice/config.json; unset = REST, packaging and the local stack)."""
    return os.environ.get("CSMS_FUNCTION_ROLE", "rest") == "rest"
