"""GET /api/v1/health: 200 once storage answers."""

from __future__ import annotations

from chalicelib.api.routing import CODE_STORAGE, PUBLIC, route
from chalicelib.api.schemas import Out
from chalicelib.domain.errors import Unavailable
from chalicelib.ports.errors import StorageUnavailable


class HealthOut(Out):
    status: str


@route("GET", "/api/v1/health", summary="Liveness: storage answers", tag="meta", access=PUBLIC, response=HealthOut)
def health(ctx) -> HealthOut:
    from chalicelib.ports.registry import store

    try:
        store().health.check()
    except StorageUnavailable as exc:
        raise Unavailable(CODE_STORAGE, "storage unavailable") from exc
    return HealthOut(status="ok")
