"""Stuck sessions: the silent sessions probed or soft-stopped and every step taken (ADR 0017)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import Out
from chalicelib.domain import stuck

TAG = "stuck sessions"


class StepOut(Out):
    kind: str = Field(description="probed, answered, no_answer, heard, soft_stopped or late_stop")
    at: datetime
    detail: dict
    operator_id: str | None = Field(description="The admin who soft-stopped it; null for the minute job")


class StuckOut(Out):
    station_id: str
    transaction_id: int
    connector_id: int
    state: str = Field(description="Probing, Recovered or SoftStopped")
    updated_at: datetime
    steps: list[StepOut]


class StuckListOut(Out):
    items: list[StuckOut]


def _list(records) -> StuckListOut:
    return StuckListOut(items=[StuckOut.model_validate(r) for r in records])


@route("GET", "/api/v1/stuck-sessions", summary="The stuck sessions of your domain and their steps", tag=TAG,
       response=StuckListOut)
def list_domain(ctx) -> StuckListOut:
    return _list(stuck.of_domain(ctx.operator))


@route("GET", "/api/v1/stations/{station_id}/stuck-sessions", summary="A station's stuck sessions and their steps",
       tag=TAG, response=StuckListOut, errors=(404,))
def list_station(ctx, station_id: str) -> StuckListOut:
    return _list(stuck.of_station(ctx.operator, station_id))


@route("POST", "/api/v1/stations/{station_id}/sessions/{transaction_id}/soft-stop", tag=TAG, access=ADMIN,
       summary="Close a silent session with its last counted register (a later StopTransaction counts nothing)",
       response=StuckOut, errors=(403, 404, 409))
def soft_stop(ctx, station_id: str, transaction_id: str) -> StuckOut:
    number = int(transaction_id) if transaction_id.isdigit() and len(transaction_id) <= 12 else -1
    return StuckOut.model_validate(stuck.operator_soft_stop(ctx.operator, station_id, number, ctx.now))
