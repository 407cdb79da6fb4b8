"""The group tree's and group moves' rules on the in-memory store (no moto): milliseconds per test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain import group_members, group_moves, groups, station_view
from chalicelib.domain.access import Principal
from chalicelib.domain.errors import Conflict, Denied, Invalid, NotFound
from chalicelib.memstore import memory_store
from chalicelib.ports.estate import MoveJournal, NewStation
from chalicelib.ports.registry import store, using

ORG = "ACME"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def estate():
    with using(memory_store()):
        estate = store().estate
        root = estate.provision_group(ORG, "root", "Malls", None)
        pine = estate.provision_group(ORG, "pine", "Pine", root)
        estate.provision_group(ORG, "birch", "Birch", root)
        estate.provision_group(ORG, "wing", "Wing", pine)
        estate.create_station(NewStation(ORG, "S1", "S1", pine), guarded=False)
        estate.create_station(NewStation(ORG, "S2", "S2", estate.get_group(ORG, "wing")), guarded=False)
        yield estate


def admin(base: str = "root", path: str = "/root/", role: str = "admin") -> Principal:
    return Principal("ada", ORG, role, base, path, role_at_login=role)


def test_the_tree_is_depth_first_with_siblings_by_name():
    with using(memory_store()):
        estate = store().estate
        root = estate.provision_group(ORG, "root", "Malls", None)
        for group_id, name in (("z", "zeta"), ("a", "Alpha"), ("m", "mu")):
            estate.provision_group(ORG, group_id, name, root)
        estate.provision_group(ORG, "a2", "Inner", estate.get_group(ORG, "a"))
        assert [(g.name, g.depth) for g in groups.tree(admin())] == [
            ("Malls", 0), ("Alpha", 1), ("Inner", 2), ("mu", 1), ("zeta", 1),
        ]  # fmt: skip


def test_groups_outside_the_domain_answer_like_missing_ones(estate):
    birch_admin = admin("birch", "/root/birch/")
    with pytest.raises(NotFound, match="Charging group does not exist."):
        groups.details(birch_admin, "pine")
    with pytest.raises(NotFound, match="Charging group does not exist."):
        groups.details(birch_admin, "no/such")
    assert groups.details(birch_admin, "birch").parent_id is None  # its own base group: parent outside


def test_a_group_cannot_move_under_itself_or_its_subgroups(estate):
    pine = groups.details(admin(), "pine")
    with pytest.raises(Invalid, match="cannot be moved under itself"):
        groups.update(admin(), "pine", "Pine", "wing", pine.version)


def test_a_move_rewrites_the_subtree_and_keeps_the_domain(estate):
    pine = groups.details(admin(), "pine")
    moved = groups.update(admin(), "pine", "Pine moved", "birch", pine.version)
    assert (moved.name, moved.parent_id, moved.depth) == ("Pine moved", "birch", 2)
    assert estate.get_group(ORG, "wing").path == "/root/birch/pine/wing/"
    assert estate.get_station(ORG, "S2").group_path == "/root/birch/pine/wing/"
    assert station_view.visible(admin("birch", "/root/birch/"), "S1").station_id == "S1"


def test_a_stale_version_is_refused_with_the_manuals_text(estate):
    pine = groups.details(admin(), "pine")
    groups.update(admin(), "pine", "Renamed", None, pine.version)
    with pytest.raises(Conflict, match="changed by another operator"):
        groups.update(admin(), "pine", "Again", None, pine.version)
    with pytest.raises(Conflict, match="changed by another operator"):
        groups.update(admin(), "pine", "Again", "birch", pine.version)


def test_the_base_group_cannot_be_moved_or_deleted(estate):
    base = admin("pine", "/root/pine/")
    with pytest.raises(Denied):
        groups.update(base, "pine", "Pine", "wing", groups.details(base, "pine").version)
    with pytest.raises(Conflict, match="base group of an operator"):
        groups.delete(base, "pine")


def test_only_an_empty_group_can_be_deleted(estate):
    with pytest.raises(Conflict, match="it has subgroups"):
        groups.delete(admin(), "pine")
    with pytest.raises(Conflict, match="contains charging stations"):
        groups.delete(admin(), "wing")
    groups.delete(admin(), "birch")
    assert estate.get_group(ORG, "birch") is None


def test_basic_operators_name_a_parent_and_cannot_regroup_stations(estate):
    with pytest.raises(Invalid, match="Parent group is required."):
        groups.create(admin(role="basic"), "New", None)
    created = groups.create(admin(role="basic"), "New", "pine")
    assert created.parent_id == "pine"
    with pytest.raises(Denied, match="Access denied."):
        group_members.add(admin(role="basic"), "birch", "S1", NOW)


def test_a_small_chunk_move_runs_under_the_lock_and_releases_it(estate, monkeypatch):
    monkeypatch.setattr(group_moves, "CHUNK", 1)
    monkeypatch.setattr(type(estate), "max_items", lambda self: 3)
    pine = groups.details(admin(), "pine")
    groups.update(admin(), "pine", "Pine", "birch", pine.version)
    assert [p.key for p in estate.placed_under(ORG, "/root/birch/pine/")] == ["pine", "wing", "S1", "S2"]
    assert estate.placed_under(ORG, "/root/pine/") == [] and estate.read_move(ORG) is None


def test_a_running_move_refuses_structural_writes_and_an_abandoned_one_is_finished(estate, monkeypatch):
    pine, birch = estate.get_group(ORG, "pine"), estate.get_group(ORG, "birch")
    lease = NOW + timedelta(minutes=1)
    journal = MoveJournal(ORG, "pine", "birch", "/root/pine/", "/root/birch/pine/", "dead", lease)
    estate.start_move(journal, pine, pine.version, "Pine", birch)
    monkeypatch.setattr("chalicelib.clock.now", lambda: NOW)
    with pytest.raises(Conflict, match="try again in a moment"):
        groups.create(admin(), "Later", None)
    monkeypatch.setattr("chalicelib.clock.now", lambda: lease + timedelta(seconds=1))
    later = groups.create(admin(), "Later", None)
    assert later.parent_id == "root" and estate.read_move(ORG) is None
    assert estate.get_group(ORG, "pine").parent_id == "birch"
    assert estate.get_station(ORG, "S2").group_path == "/root/birch/pine/wing/"
