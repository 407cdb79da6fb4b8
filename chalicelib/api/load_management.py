"""Load management: a group's current limit shared by its charging connectors; stations excluded from it (ADR 0017)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out
from chalicelib.domain import load

TAG = "load management"
GROUP = "/api/v1/groups/{group_id}/load-limit"
STATION = "/api/v1/stations/{station_id}/load-management"


class LimitIn(In):
    limit_a: float = Field(gt=0, le=10_000, description="Amperes per phase shared by the group's subtree")
    phases: Literal[1, 3] = Field(default=3, description="Phases the connectors draw from (sets numberPhases)")
    min_a: float = Field(default=6.0, ge=0, le=80, description="Below this a connector is paused (0 A) instead")


class LimitOut(Out):
    group_id: str
    limit_a: float
    phases: int
    min_a: float


class ExclusionIn(In):
    excluded: bool


class StationLoadOut(Out):
    station_id: str
    excluded: bool = Field(description="Excluded stations get no charging profile and take no share")
    limits: list[LimitOut] = Field(description="The limits of the station's group and its ancestors, outermost first")


@route("GET", GROUP, summary="A charging group's power limit", tag=TAG, response=LimitOut, errors=(404,))
def get_limit(ctx, group_id: str) -> LimitOut:
    return LimitOut.model_validate(load.group_limit(ctx.operator, group_id))


@route("PUT", GROUP, summary="Set a charging group's power limit (shared fairly by its charging connectors)", tag=TAG,
       access=ADMIN, body=LimitIn, response=LimitOut, errors=(400, 403, 404))
def put_limit(ctx, group_id: str, body: LimitIn) -> LimitOut:
    limit = load.set_group_limit(ctx.operator, group_id, body.limit_a, body.phases, body.min_a)
    _reshare(ctx, group_id)
    return LimitOut.model_validate(limit)


def _reshare(ctx, group_id: str) -> None:
    """The group's charging sessions get their new share now, not at the next start or stop."""
    from chalicelib.protocol.v16.outbound import set_charging_profile

    set_charging_profile.share_load(ctx.operator.org_id, group_path=load.group_path(ctx.operator, group_id))


@route("DELETE", GROUP, summary="Remove a charging group's power limit", tag=TAG, access=ADMIN, status=204, errors=(403, 404))
def delete_limit(ctx, group_id: str) -> None:
    load.clear_group_limit(ctx.operator, group_id)


@route("GET", STATION, summary="A station's load management: excluded or not, the limits it shares", tag=TAG,
       response=StationLoadOut, errors=(404,))
def get_station(ctx, station_id: str) -> StationLoadOut:
    return StationLoadOut.model_validate(load.station_load(ctx.operator, station_id))


@route("PUT", STATION, summary="Exclude a station from load management, or include it again", tag=TAG, access=ADMIN,
       body=ExclusionIn, response=StationLoadOut, errors=(400, 403, 404))
def put_station(ctx, station_id: str, body: ExclusionIn) -> StationLoadOut:
    return StationLoadOut.model_validate(load.set_station_excluded(ctx.operator, station_id, body.excluded))
