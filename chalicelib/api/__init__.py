"""REST API under /api/v1: routes registered on the Chalice app, each delegating to the domain."""

from chalicelib.api import health


def register(app) -> None:
    health.register(app)
