"""Charging user groups: list with member counts, view with members; create, edit and delete (admins)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import In, Out, PageQuery, Version
from chalicelib.domain import user_groups
from chalicelib.domain.user_scope import Scope

TAG = "charging user groups"
Name = Annotated[str, Field(min_length=1, max_length=100)]
MemberIds = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=254)]],
    Field(max_length=1000, description="Charging user ids (a user joining leaves its previous group)"),
]


class UserGroupIn(In):
    name: Name
    member_ids: MemberIds = Field(default_factory=list)
    active: bool = Field(default=True, description="Users of an inactive group cannot charge")


class UserGroupEditIn(Version):
    name: Name
    member_ids: MemberIds = Field(description="All members you see; members outside your domain are kept")
    active: bool


class UserGroupRowOut(Out):
    user_group_id: str
    name: str
    active: bool
    member_count: int = Field(description="Group members")


class UserGroupPageOut(Out):
    items: list[UserGroupRowOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class MemberOut(Out):
    user_id: str
    first_name: str
    last_name: str
    email: str


class UserGroupOut(UserGroupRowOut):
    members: list[MemberOut] = Field(description=f"Members inside your domain (at most {user_groups.MEMBERS_SHOWN})")
    version: int


def _row(group) -> UserGroupRowOut:
    return UserGroupRowOut(user_group_id=group.user_group_id, name=group.name, active=group.active, member_count=group.member_count or 0)


def _out(detail: user_groups.UserGroupDetail) -> UserGroupOut:
    members = [MemberOut.model_validate(user) for user in detail.members]
    return UserGroupOut(**_row(detail.group).model_dump(), members=members, version=detail.group.version)


@route("GET", "/api/v1/user-groups", summary="List and search charging user groups", tag=TAG, query=PageQuery, response=UserGroupPageOut, errors=(400,))
def list_groups(ctx, query: PageQuery) -> UserGroupPageOut:
    page = user_groups.listing(Scope(ctx.operator), query.limit, query.cursor, query.q)
    return UserGroupPageOut(items=[_row(group) for group in page.items], cursor=page.cursor)


@route("POST", "/api/v1/user-groups", summary="Add a new charging user group", tag=TAG, access=ADMIN, body=UserGroupIn, response=UserGroupOut, status=201, errors=(400, 403, 404, 409))
def create_group(ctx, body: UserGroupIn) -> UserGroupOut:
    return _out(user_groups.create(Scope(ctx.operator), body.name, body.member_ids, body.active))


@route("GET", "/api/v1/user-groups/{user_group_id}", summary="A charging user group with its members", tag=TAG, response=UserGroupOut, errors=(404,))
def get_group(ctx, user_group_id: str) -> UserGroupOut:
    return _out(user_groups.read(Scope(ctx.operator), user_group_id))


@route("PUT", "/api/v1/user-groups/{user_group_id}", summary="Edit a charging user group: name, members, activation", tag=TAG, access=ADMIN, body=UserGroupEditIn, response=UserGroupOut, errors=(400, 403, 404, 409))
def edit_group(ctx, user_group_id: str, body: UserGroupEditIn) -> UserGroupOut:
    return _out(user_groups.edit(Scope(ctx.operator), user_group_id, body.version, body.name, body.member_ids, body.active))


@route("DELETE", "/api/v1/user-groups/{user_group_id}", summary="Delete a charging user group without members", tag=TAG, access=ADMIN, status=204, errors=(403, 404, 409))
def delete_group(ctx, user_group_id: str) -> None:
    user_groups.delete(Scope(ctx.operator), user_group_id)
