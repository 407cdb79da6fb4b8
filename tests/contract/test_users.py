"""The users port on both stores: labelled refusals, counters moving with their change, versions, paging."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.ports.paging import InvalidCursor
from chalicelib.ports.users import ChargingUser, Membership, Refused, RfidToken, TokenEdit, UserEdit, UserGroup

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _user(user_id: str, org_id: str = "ORG", **changes) -> ChargingUser:
    name = user_id.split("@")[0]
    return ChargingUser(org_id, user_id, **{"first_name": name.title(), "last_name": "Duck", "email": user_id, **changes})


def _token(token_id: str, user_id: str, org_id: str = "ORG") -> RfidToken:
    return RfidToken(org_id, token_id, user_id, valid_from=T0)


def _group(port, group_id: str = "ug1", name: str = "Duckburg") -> UserGroup:
    return port.create_user_group(UserGroup("ORG", group_id, name), Membership())


def _edit(user: ChargingUser, **changes) -> UserEdit:
    values = dict(first_name=user.first_name, last_name=user.last_name, active=user.active, access_group_ids=[],
                  access_station_ids=[], user_group_id=user.user_group_id)  # fmt: skip
    return UserEdit(**{**values, **changes})


def test_a_user_and_its_tokens_are_created_together_and_counted(store):
    port = store.users
    group = _group(port)
    user, tokens = port.create_user(_user("ann@x.org", user_group_id="ug1"), [_token("B2", "ann@x.org"), _token("A1", "ann@x.org")], group)
    assert (user.token_count, user.version, [t.version for t in tokens]) == (2, 1, [1, 1])
    assert [t.token_id for t in port.tokens_of("ORG", "ann@x.org")] == ["A1", "B2"]
    assert port.user_group("ORG", "ug1").member_count == 1
    assert port.token("ORG", "A1").user_id == "ann@x.org"


def test_refusals_name_what_was_taken(store):
    port = store.users
    port.create_user(_user("ann@x.org"), [_token("A1", "ann@x.org")], None)
    with pytest.raises(Refused) as taken:
        port.create_user(_user("ann@x.org"), [], None)
    assert taken.value.labels == ["user"]
    with pytest.raises(Refused) as token_taken:
        port.create_user(_user("bob@x.org"), [_token("A1", "bob@x.org")], None)
    assert token_taken.value.labels == ["token:A1"]
    assert port.user("ORG", "bob@x.org") is None  # nothing half-made


def test_an_edit_on_an_old_version_loses_and_moves_member_counts(store):
    port = store.users
    first, second = _group(port, "ug1"), _group(port, "ug2", "Other")
    user, _ = port.create_user(_user("ann@x.org", user_group_id="ug1"), [], first)
    first = port.user_group("ORG", "ug1")
    moved = port.update_user(user, _edit(user, first_name="Anna", user_group_id="ug2"), [(first, -1), (second, 1)])
    assert (moved.first_name, moved.user_group_id, moved.version) == ("Anna", "ug2", 2)
    assert port.user("ORG", "ann@x.org") == moved
    assert (port.user_group("ORG", "ug1").member_count, port.user_group("ORG", "ug2").member_count) == (0, 1)
    with pytest.raises(Refused) as stale:
        port.update_user(user, _edit(user, first_name="Annie"), [])
    assert stale.value.labels == ["user"]


def test_tokens_added_edited_and_deleted_with_the_users_count(store):
    port = store.users
    user, _ = port.create_user(_user("ann@x.org"), [], None)
    token = port.add_token(user, _token("A1", "ann@x.org"))
    with pytest.raises(Refused) as taken:
        port.add_token(port.user("ORG", "ann@x.org"), _token("A1", "ann@x.org"))
    assert "token" in taken.value.labels
    edited = port.update_token(token, TokenEdit("Home", "Blocked", None, None))
    assert (edited.name, edited.status, edited.valid_from, edited.version) == ("Home", "Blocked", T0, 2)
    with pytest.raises(Refused):
        port.update_token(token, TokenEdit(None, "Active", None, None))  # as of version 1
    port.delete_token(port.user("ORG", "ann@x.org"), edited)
    assert port.token("ORG", "A1") is None and port.user("ORG", "ann@x.org").token_count == 0
    with pytest.raises(Refused) as gone:
        port.delete_token(port.user("ORG", "ann@x.org"), edited)
    assert gone.value.labels == ["token"]


def test_deleting_a_user_takes_its_tokens_and_its_membership(store):
    port = store.users
    group = _group(port)
    user, tokens = port.create_user(_user("ann@x.org", user_group_id="ug1"), [_token("A1", "ann@x.org")], group)
    port.delete_user(user, tokens, port.user_group("ORG", "ug1"))
    assert port.user("ORG", "ann@x.org") is None and port.token("ORG", "A1") is None
    assert port.user_group("ORG", "ug1").member_count == 0


def test_a_user_group_save_moves_members_and_only_an_empty_group_goes(store):
    port = store.users
    other = _group(port, "ug0", "Old")
    ann, _ = port.create_user(_user("ann@x.org", user_group_id="ug0"), [], other)
    bob, _ = port.create_user(_user("bob@x.org"), [], None)
    group = port.create_user_group(UserGroup("ORG", "ug1", "Duckburg"), Membership([ann, bob], [], [(port.user_group("ORG", "ug0"), -1)]))
    assert (group.member_count, group.version) == (2, 1)
    assert sorted(u.user_id for u in port.members_of("ORG", "ug1")) == ["ann@x.org", "bob@x.org"]
    assert port.user_group("ORG", "ug0").member_count == 0
    with pytest.raises(Refused) as not_empty:
        port.delete_user_group(group)
    assert not_empty.value.labels == ["user_group"]
    bob = port.user("ORG", "bob@x.org")
    renamed = port.update_user_group(group, "Duckburg East", False, Membership([], [bob], []))
    assert (renamed.name, renamed.active, renamed.member_count, renamed.version) == ("Duckburg East", False, 1, 2)
    assert port.user("ORG", "bob@x.org").user_group_id is None
    with pytest.raises(Refused) as stale:
        port.update_user_group(group, "Late", True, Membership())
    assert stale.value.labels == ["user_group"]
    with pytest.raises(Refused) as moved_meanwhile:
        port.update_user_group(renamed, "Later", True, Membership([bob], [], []))  # bob as loaded before his move
    assert moved_meanwhile.value.labels == ["user:bob@x.org"]


def test_pages_of_users_and_groups_follow_their_ids(store):
    port = store.users
    for name in ["eve", "bob", "dan", "ann", "cat"]:
        port.create_user(_user(f"{name}@x.org"), [], None)
    port.create_user(_user("zed@x.org", org_id="OTHER"), [], None)
    seen, cursor = [], None
    while True:
        page = port.users_page("ORG", 2, cursor, None, None, keep=lambda u: u.user_id != "dan@x.org")
        seen += [u.user_id for u in page.items]
        if not (cursor := page.cursor):
            break
    assert seen == ["ann@x.org", "bob@x.org", "cat@x.org", "eve@x.org"]
    assert [u.user_id for u in port.users_page("ORG", 10, None, "EVE", None).items] == ["eve@x.org"]
    with pytest.raises(InvalidCursor):
        port.users_page("OTHER", 2, port.users_page("ORG", 2, None, None, None).cursor, None, None)
    _group(port, "b", "Beta")
    _group(port, "a", "Alpha")
    assert [g.user_group_id for g in port.user_groups_page("ORG", 10, None, None).items] == ["a", "b"]
    assert [g.name for g in port.user_groups_page("ORG", 10, None, "alp").items] == ["Alpha"]


def _estate(store) -> dict[str, str]:
    """Charging groups Malls > Pine (with station S1) and Birch, and an orphan station S0; name -> group id."""
    if store.kind == "memory":
        from chalicelib.ports.operators import GroupRef

        paths = {"Malls": "/m/", "Pine": "/m/p/", "Birch": "/m/b/"}
        for name, path in paths.items():
            store.operators.add_group("ORG", GroupRef(path.strip("/").split("/")[-1], name, path))
        store.users.add_station("ORG", "S1", "/m/p/")
        store.users.add_station("ORG", "S0", None)
        return {name: path.strip("/").split("/")[-1] for name, path in paths.items()}
    from chalicelib.domain import provisioning as p

    malls, pine = p.ensure_group_path("ORG", ["Malls"]), p.ensure_group_path("ORG", ["Malls", "Pine"])
    birch = p.ensure_group_path("ORG", ["Malls", "Birch"])
    p.create_station("ORG", "S1", name="S1", group=pine)
    p.create_station("ORG", "S0", name="S0")
    return {"Malls": malls.group_id, "Pine": pine.group_id, "Birch": birch.group_id}


def test_domain_groups_and_station_paths(store):
    ids = _estate(store)
    port = store.users
    everything = port.domain_groups("ORG", "/")
    assert set(everything) == set(ids.values())
    pine_path = everything[ids["Pine"]]
    assert port.domain_groups("ORG", pine_path) == {ids["Pine"]: pine_path}
    assert port.domain_groups("OTHER", "/") == {}
    assert port.station_paths("ORG", ["S1", "S0", "S9"]) == {"S1": pine_path, "S0": None}
