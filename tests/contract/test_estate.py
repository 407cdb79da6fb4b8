"""The estate port behaves the same on both stores: the group tree, its conditions and paging, the move
lock and journal, station administration, identifier claims and provisioning."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.ports.errors import AlreadyExists, ConditionFailed
from chalicelib.ports.estate import (
    MoveInProgress,
    MoveJournal,
    NewOperator,
    NewStation,
    Organization,
    Placed,
    StationEdit,
    TreeChanged,
)

ORG = "ACME"
LEASE = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def estate(store):
    return store.estate


def _tree(estate):
    """/r/ with subgroups a and b; a has a1."""
    root = estate.provision_group(ORG, "r", "Root", None)
    estate.create_group(ORG, "a", "Alpha", root)
    estate.create_group(ORG, "b", "Beta", estate.get_group(ORG, "r"))
    estate.create_group(ORG, "a1", "Alpha one", estate.get_group(ORG, "a"))
    return [estate.get_group(ORG, group_id, consistent=True) for group_id in ("r", "a", "b", "a1")]


def _station(estate, station_id, group, guarded=True):
    return estate.create_station(NewStation(ORG, station_id, station_id.title(), group), guarded=guarded)


def test_the_tree_is_read_by_path(estate):
    _tree(estate)
    assert [g.group_id for g in estate.subtree(ORG, "/r/")] == ["r", "a", "a1", "b"]
    assert [g.path for g in estate.subtree(ORG, "/r/a/")] == ["/r/a/", "/r/a/a1/"]
    a = estate.get_group(ORG, "a")
    assert a.parent_id == "r" and a.name == "Alpha"
    assert [g.group_id for g in estate.children(estate.get_group(ORG, "r"))] == ["a", "b"]
    assert estate.has_subgroups(a) and not estate.has_subgroups(estate.get_group(ORG, "b"))
    assert estate.group_names(ORG, {"a", "b", "nope"}) == {"a": "Alpha", "b": "Beta"}
    assert estate.get_group(ORG, "nope") is None and estate.get_group("OTHER", "a") is None


def test_a_group_created_under_a_parent_makes_the_parent_newer(estate):
    root = estate.provision_group(ORG, "r", "Root", None)
    estate.create_group(ORG, "a", "Alpha", root)
    assert estate.get_group(ORG, "r").version == root.version + 1
    # A second creation with the parent as read before is refused and writes nothing
    with pytest.raises(TreeChanged):
        estate.create_group(ORG, "b", "Beta", root)
    assert estate.get_group(ORG, "b") is None


def test_renaming_needs_the_version_read(estate):
    _tree(estate)
    a = estate.get_group(ORG, "a")
    with pytest.raises(ConditionFailed):
        estate.rename_group(a, a.version + 1, "Other")
    estate.rename_group(a, a.version, "Renamed")
    renamed = estate.get_group(ORG, "a", consistent=True)
    assert renamed.name == "Renamed" and renamed.version == a.version + 1


def test_deleting_a_group_changed_meanwhile_is_refused(estate):
    _, _, b, _ = _tree(estate)
    _station(estate, "s1", b)  # puts a station into b: b is newer
    with pytest.raises(TreeChanged):
        estate.delete_group(b)
    assert estate.get_group(ORG, "b") is not None
    a1 = estate.get_group(ORG, "a1")
    estate.delete_group(a1)
    assert estate.get_group(ORG, "a1") is None


def test_group_pages_follow_the_path_and_the_search(estate):
    _tree(estate)
    seen, cursor, pages = [], None, 0
    while True:
        page = estate.page_groups(ORG, "/r/", 3, cursor, None)
        seen += [g.group_id for g in page.items]
        pages += 1
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == ["r", "a", "a1", "b"] and pages == 2
    assert [g.group_id for g in estate.page_groups(ORG, "/r/", 10, None, "ALPHA").items] == ["a", "a1"]
    assert estate.page_groups(ORG, "/r/a/", 10, None, None).cursor is None


def test_stations_in_groups_orphans_and_their_conditions(estate):
    _, a, b, _ = _tree(estate)
    created = _station(estate, "s1", a)
    assert (created.group_id, created.group_path, created.revision) == ("a", "/r/a/", 0)
    with pytest.raises(AlreadyExists):
        _station(estate, "s1", estate.get_group(ORG, "a"))
    _station(estate, "s2", None)
    assert [s.station_id for s in estate.stations_in_group(ORG, "/r/a/")] == ["s1"]
    assert estate.any_station_in_group(ORG, "/r/a/") and not estate.any_station_in_group(ORG, "/r/b/")
    assert [s.station_id for s in estate.page_of_orphans(ORG, 10, None, None).items] == ["s2"]
    # An edit needs the revision read; it makes the station newer
    with pytest.raises(ConditionFailed):
        estate.edit_station(ORG, "s1", StationEdit(revision=5, name="No"))
    estate.edit_station(ORG, "s1", StationEdit(revision=0, name="Renamed", points=[{"point": 1, "sockets": []}] * 2))
    s1 = estate.get_station(ORG, "s1", consistent=True)
    assert (s1.name, s1.revision, s1.point_count) == ("Renamed", 1, 2)
    # Into another group: only from the group it was read in, and with the target as read
    with pytest.raises(ConditionFailed):
        estate.edit_station(ORG, "s1", StationEdit(check_group=True, expected_group_id="b", regroup=True, group=b))
    estate.edit_station(ORG, "s1", StationEdit(check_group=True, expected_group_id="a", regroup=True, group=b))
    with pytest.raises(TreeChanged):
        estate.edit_station(ORG, "s2", StationEdit(check_group=True, expected_group_id=None, regroup=True, group=b))
    assert estate.get_station(ORG, "s1").group_path == "/r/b/"
    # Only an orphan can be purged
    with pytest.raises(ConditionFailed):
        estate.purge_station(ORG, "s1")
    estate.purge_station(ORG, "s2")
    assert estate.get_station(ORG, "s2") is None


def test_station_pages_are_searched_and_paged(estate):
    _, a, _, a1 = _tree(estate)
    for n in range(5):
        _station(estate, f"st{n}", estate.get_group(ORG, "a1" if n % 2 else "a"), guarded=False)
    seen, cursor = [], None
    for _ in range(4):
        page = estate.page_in_subtree(ORG, "/r/a/", 2, cursor, None)
        seen += [s.station_id for s in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    assert sorted(seen) == [f"st{n}" for n in range(5)] and len(seen) == 5
    assert [s.station_id for s in estate.page_in_subtree(ORG, "/r/a/a1/", 10, None, "ST3").items] == ["st3"]


def test_a_station_path_left_behind_is_healed_only_if_still_stale(estate):
    _, a, _, _ = _tree(estate)
    _station(estate, "s1", a)
    estate.heal_path(ORG, "s1", "/elsewhere/", "/x/")
    assert estate.get_station(ORG, "s1").group_path == "/r/a/"
    estate.heal_path(ORG, "s1", "/r/a/", "/x/a/")
    assert estate.get_station(ORG, "s1").group_path == "/x/a/"


def test_a_move_at_once_rebases_the_subtree(estate):
    _, a, b, _ = _tree(estate)
    _station(estate, "s1", estate.get_group(ORG, "a1"))
    items = estate.placed_under(ORG, "/r/a/")
    assert [(i.kind, i.key, i.path) for i in items] == [
        ("group", "a", "/r/a/"), ("group", "a1", "/r/a/a1/"), ("station", "s1", "/r/a/a1/"),
    ]  # fmt: skip
    a = estate.get_group(ORG, "a")
    estate.move_at_once(a, a.version, "Alpha moved", estate.get_group(ORG, "b"), "/r/b/a/", items)
    moved = estate.get_group(ORG, "a", consistent=True)
    assert (moved.name, moved.path, moved.parent_id) == ("Alpha moved", "/r/b/a/", "b")
    assert estate.get_group(ORG, "a1").path == "/r/b/a/a1/"
    assert estate.get_station(ORG, "s1").group_path == "/r/b/a/a1/"
    assert estate.placed_under(ORG, "/r/a/") == []


def test_a_move_at_once_from_a_stale_read_changes_nothing(estate):
    _, a, b, _ = _tree(estate)
    items = estate.placed_under(ORG, "/r/a/")
    estate.rename_group(a, a.version, "Renamed meanwhile")
    with pytest.raises(TreeChanged):
        estate.move_at_once(a, a.version, "Alpha", b, "/r/b/a/", items)
    assert estate.get_group(ORG, "a1").path == "/r/a/a1/"


def test_a_big_move_holds_the_lock_and_can_be_resumed(estate):
    _, a, _, _ = _tree(estate)
    _station(estate, "s1", estate.get_group(ORG, "a1"))
    a, b = estate.get_group(ORG, "a"), estate.get_group(ORG, "b")
    journal = MoveJournal(ORG, "a", "b", "/r/a/", "/r/b/a/", "first", LEASE)
    estate.start_move(journal, a, a.version, "Alpha", b)
    assert estate.read_move(ORG) == journal
    # Structural writes wait while the lock is held
    with pytest.raises(MoveInProgress):
        estate.create_group(ORG, "c", "Gamma", estate.get_group(ORG, "r"))
    with pytest.raises(MoveInProgress):
        estate.start_move(journal, estate.get_group(ORG, "b"), estate.get_group(ORG, "b").version, "Beta", estate.get_group(ORG, "r"))
    # Another request takes the (expired) move over; the first owner has lost its lease
    later = datetime(2031, 1, 1, tzinfo=UTC)
    assert estate.take_over_move(journal, "second", later)
    assert not estate.take_over_move(journal, "third", later)
    mine = replace(journal, owner="second", lease_until=later)
    items = estate.placed_under(ORG, "/r/a/")
    with pytest.raises(MoveInProgress):
        estate.move_chunk(journal, later, items)
    estate.move_chunk(mine, datetime(2032, 1, 1, tzinfo=UTC), items[:2])
    assert estate.read_move(ORG).lease_until == datetime(2032, 1, 1, tzinfo=UTC)
    estate.rewrite_one(mine, items[2])
    estate.rewrite_one(mine, Placed("station", "gone", "/r/a/"))  # vanished: nothing to do
    assert estate.get_group(ORG, "a").parent_id == "b"
    assert [i.key for i in estate.placed_under(ORG, "/r/b/a/")] == ["a", "a1", "s1"]
    estate.release_move(journal)  # not the owner: the lock stays
    assert estate.read_move(ORG) is not None
    estate.release_move(mine)
    assert estate.read_move(ORG) is None


def test_a_chunk_with_an_item_moved_meanwhile_is_refused_whole(estate):
    _, a, b, _ = _tree(estate)
    _station(estate, "s1", estate.get_group(ORG, "a1"))
    journal = MoveJournal(ORG, "a", "b", "/r/a/", "/r/b/a/", "me", LEASE)
    estate.start_move(journal, estate.get_group(ORG, "a"), estate.get_group(ORG, "a").version, "Alpha", estate.get_group(ORG, "b"))
    items = estate.placed_under(ORG, "/r/a/")
    estate.heal_path(ORG, "s1", "/r/a/a1/", "/r/b/a/a1/")  # someone rewrote it already
    with pytest.raises(TreeChanged):
        estate.move_chunk(journal, LEASE, items)
    assert estate.get_group(ORG, "a1").path == "/r/a/a1/"


def test_identifier_claims(estate):
    assert estate.claim_identifier("ACME", "EVI1")
    assert estate.claim_identifier("ACME", "EVI1")  # again: still its own
    assert not estate.claim_identifier("NEWCO", "EVI1")
    estate.release_identifier("NEWCO", "EVI1")  # not NEWCO's to give up
    assert estate.claimed_by("EVI1") == "ACME"
    estate.release_identifier("ACME", "EVI1")
    assert estate.claimed_by("EVI1") is None
    assert estate.claim_identifier("NEWCO", "EVI1") and estate.claimed_by("EVI1") == "NEWCO"


def test_provisioning_refuses_taken_ids(estate):
    org = Organization("NEW", "New", "Europe/Helsinki")
    assert estate.create_organization(org) == org
    with pytest.raises(AlreadyExists):
        estate.create_organization(Organization("NEW", "Other", "UTC"))
    assert estate.get_organization("NEW") == org and estate.get_organization("NONE") is None
    operator = NewOperator("ada", "NEW", "ada@new.test", "Ada", "A", "admin", "g1", "hash")
    estate.create_operator(operator)
    with pytest.raises(AlreadyExists):
        estate.create_operator(operator)
    assert estate.is_base_of_an_operator("NEW", "g1") and not estate.is_base_of_an_operator("NEW", "g2")
