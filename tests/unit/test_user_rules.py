"""Charging user, token and user group rules on the in-memory store: domains, duplicates, counts, locking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import charging_users, tokens, user_groups
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.user_scope import Scope
from chalicelib.memstore import memory_store
from chalicelib.ports.operators import GroupRef
from chalicelib.ports.registry import using

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ADMIN = Principal("root-admin", "ORG", "admin", "root", "/root/")
PINE = Principal("pine-admin", "ORG", "admin", "pine", "/root/pine/")
BIRCH = Principal("birch-admin", "ORG", "admin", "birch", "/root/birch/")


def _fields(**changes) -> charging_users.UserFields:
    return charging_users.UserFields(**{"first_name": "Daisy", "last_name": "Duck", "user_group_id": None,
                                        "access_group_ids": [], "access_station_ids": [], **changes})  # fmt: skip


def _token(**changes) -> tokens.TokenFields:
    return tokens.TokenFields(**{"name": None, "status": "Active", "valid_from": None, "valid_to": None, **changes})


@pytest.fixture
def mem():
    with using(memory_store()) as store:
        for group_id, path in [("root", "/root/"), ("pine", "/root/pine/"), ("birch", "/root/birch/")]:
            store.operators.add_group("ORG", GroupRef(group_id, group_id.title(), path))
        yield store


def test_a_user_is_seen_only_inside_the_domain_of_its_creator(mem):
    charging_users.create(Scope(PINE), "Daisy@Duckburg.com", _fields(), [("abc1", _token())], T0)
    detail = charging_users.read(Scope(ADMIN), "daisy@duckburg.com")
    assert ([t.token_id for t in detail.tokens], detail.user.token_count) == (["ABC1"], 1)
    with pytest.raises(NotFound, match=r"^Charging user not found\.$"):
        charging_users.read(Scope(BIRCH), "daisy@duckburg.com")


def test_token_ids_are_unique_in_the_organization_whatever_their_case(mem):
    charging_users.create(Scope(ADMIN), "daisy@duckburg.com", _fields(), [("abc1", _token())], T0)
    charging_users.create(Scope(ADMIN), "donald@duckburg.com", _fields(first_name="Donald"), [], T0)
    with pytest.raises(Conflict, match=r"^Token already exists\.$"):
        tokens.add(Scope(ADMIN), "donald@duckburg.com", "ABC1", _token(), T0)
    with pytest.raises(Conflict, match=r"^Username already exists\.$"):
        charging_users.create(Scope(ADMIN), "DAISY@duckburg.com", _fields(), [], T0)


def test_an_edit_on_an_old_version_is_refused(mem):
    created = charging_users.create(Scope(ADMIN), "daisy@duckburg.com", _fields(), [], T0)
    edited = charging_users.edit(Scope(ADMIN), "daisy@duckburg.com", created.user.version, None, _fields(first_name="Dee"))
    assert (edited.user.first_name, edited.user.version) == ("Dee", created.user.version + 1)
    with pytest.raises(Conflict, match=r"^Charging user not found\.$"):
        charging_users.edit(Scope(ADMIN), "daisy@duckburg.com", created.user.version, None, _fields())


def test_members_move_between_user_groups_and_only_an_empty_group_is_deleted(mem):
    scope = Scope(ADMIN)
    charging_users.create(scope, "daisy@duckburg.com", _fields(), [], T0)
    first = user_groups.create(scope, "Duckburg", ["Daisy@duckburg.com"], True)
    second = user_groups.create(scope, "Mouseton", ["daisy@duckburg.com"], True)
    assert (second.group.member_count, [m.user_id for m in second.members]) == (1, ["daisy@duckburg.com"])
    assert user_groups.find(scope, first.group.user_group_id).member_count == 0
    with pytest.raises(Conflict, match=r"^The charging user group has members\. Remove them before deleting the group\.$"):
        user_groups.delete(scope, second.group.user_group_id)
    user_groups.delete(scope, first.group.user_group_id)
    with pytest.raises(NotFound, match=r"^Charging user group not found\.$"):
        user_groups.find(scope, first.group.user_group_id)
