"""Charging groups: list, tree, details; create, rename, move, delete; stations in and out of a group."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery, Version
from chalicelib.domain import group_members, groups, statistics

TAG = "charging groups"
PATH = "/api/v1/groups"
Name = Annotated[str, Field(min_length=1, max_length=100)]
Id = Annotated[str, Field(min_length=1, max_length=64)]


class GroupIn(In):
    name: Name
    parent_id: Id | None = Field(default=None, description="Default: your base group (basic operators must give one)")
    station_ids: list[Id] = Field(default_factory=list, max_length=100, description="Stations to move into the new group (admins)")


class GroupEditIn(Version):
    name: Name
    parent_id: Id | None = Field(default=None, description="Another parent moves the group with its subtree; null keeps it")


class StationRefIn(In):
    station_id: Annotated[str, Field(min_length=1, max_length=100)]


class GroupOut(Out):
    group_id: str
    name: str
    parent_id: str | None = Field(description="Null for your base group (its parent is outside your domain)")
    depth: int = Field(description="0 = your base group")
    version: int


class StationBriefOut(Out):
    station_id: str
    name: str
    point_count: int


class GroupDetailsOut(GroupOut):
    parent_name: str | None
    stations: list[StationBriefOut] = Field(description="Stations directly in this group")
    subgroups: list[GroupOut] = Field(description="Direct subgroups")


class GroupPageOut(Out):
    items: list[GroupOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class TreeQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    counts: bool = Field(default=False, description="Also give each group's station count (its whole subtree): one more read")


class GroupTreeItemOut(GroupOut):
    station_count: int | None = Field(default=None, description="Stations in the group and its subgroups (with `counts=true`)")


class GroupTreeOut(Out):
    items: list[GroupTreeItemOut] = Field(description="Your whole domain, depth first, siblings by name")


@route("GET", PATH, summary="List and search the charging groups of your domain", tag=TAG, query=PageQuery, response=GroupPageOut, errors=(400,))
def list_groups(ctx, query: PageQuery) -> GroupPageOut:
    items, cursor = groups.page(ctx.operator, query.limit, query.cursor, query.q)
    return GroupPageOut(items=[GroupOut.model_validate(g) for g in items], cursor=cursor)


@route("GET", PATH + "/tree", summary="The group tree of your domain in one answer", tag=TAG, query=TreeQuery, response=GroupTreeOut)
def group_tree(ctx, query: TreeQuery) -> GroupTreeOut:
    items = groups.tree(ctx.operator)
    counts = statistics.subtree_stations(ctx.operator.org_id, items) if query.counts else {}
    return GroupTreeOut(items=[GroupTreeItemOut(**g.__dict__, station_count=counts.get(g.group_id)) for g in items])


@route("POST", PATH, summary="Add a new charging group", tag=TAG, body=GroupIn, response=GroupDetailsOut, status=201, errors=(400, 403, 404, 409))
def create_group(ctx, body: GroupIn) -> GroupDetailsOut:
    created = group_members.create_group(ctx.operator, body.name, body.parent_id, body.station_ids, ctx.now)
    return GroupDetailsOut.model_validate(created)


@route("GET", PATH + "/{group_id}", summary="A charging group with its stations and subgroups", tag=TAG, response=GroupDetailsOut, errors=(404,))
def get_group(ctx, group_id: str) -> GroupDetailsOut:
    return GroupDetailsOut.model_validate(groups.details(ctx.operator, group_id))


@route("PUT", PATH + "/{group_id}", summary="Rename a charging group or move it under another parent", tag=TAG, body=GroupEditIn, response=GroupDetailsOut, errors=(400, 403, 404, 409))
def edit_group(ctx, group_id: str, body: GroupEditIn) -> GroupDetailsOut:
    return GroupDetailsOut.model_validate(groups.update(ctx.operator, group_id, body.name, body.parent_id, body.version))


@route("DELETE", PATH + "/{group_id}", summary="Delete an empty charging group (no stations, no subgroups)", tag=TAG, status=204, errors=(404, 409))
def delete_group(ctx, group_id: str) -> None:
    groups.delete(ctx.operator, group_id)


@route("POST", PATH + "/{group_id}/stations", summary="Add a charging station to this group", tag=TAG, access=ADMIN, body=StationRefIn, response=GroupDetailsOut, errors=(403, 404, 409))
def add_station(ctx, group_id: str, body: StationRefIn) -> GroupDetailsOut:
    return GroupDetailsOut.model_validate(group_members.add(ctx.operator, group_id, body.station_id, ctx.now))


@route("DELETE", PATH + "/{group_id}/stations/{station_id}", summary="Remove a charging station from this group (it becomes an orphan)", tag=TAG, access=ADMIN, status=204, errors=(403, 404, 409))
def remove_station(ctx, group_id: str, station_id: str) -> None:
    group_members.remove(ctx.operator, group_id, station_id, ctx.now)
