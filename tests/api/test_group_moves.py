"""Group moves too big for one transaction: chunks under the organization's lock, resumed if abandoned."""

from __future__ import annotations

from datetime import timedelta

GROUPS = "/api/v1/groups"


def gid(world, name: str) -> str:
    return world.groups[name].group_id


def _stations_under(org: str, prefix: str) -> set[str]:
    from chalicelib.storage.models import StationItem

    return {s.station_id for s in StationItem.by_group_path.query(org, StationItem.group_path.startswith(prefix))}


def _many_stations(group, count: int) -> None:
    from chalicelib.storage.models import StationItem

    with StationItem.batch_write() as batch:
        for n in range(count):
            sid = f"BULK-{n:04d}"
            batch.save(StationItem("ACME", sid, name=sid, group_id=group.group_id, group_path=group.path, search=sid.lower()))


def _lock():
    from chalicelib.storage import move_journal

    return move_journal.read_lock("ACME")


def test_a_move_of_more_than_a_transaction_rewrites_everything_and_releases_the_lock(world, monkeypatch):
    # Given Pine Mall with a subgroup and 150 stations (more than one TransactWriteItems holds)
    from chalicelib.storage import groups as store
    from chalicelib.storage import move_journal

    started = []
    monkeypatch.setattr(move_journal, "start", lambda *a, _start=move_journal.start: started.append(a) or _start(*a))

    pine, birch = world.groups["ACME Pine Mall"], gid(world, "ACME Birch Mall")
    wing = world.admin.post(GROUPS, {"name": "Pine Wing", "parent_id": pine.group_id}).body
    _many_stations(store.get("ACME", wing["group_id"]), 150)
    version = world.admin.get(f"{GROUPS}/{pine.group_id}").body["version"]
    # When the admin moves Pine Mall under Birch Mall
    reply = world.admin.put(f"{GROUPS}/{pine.group_id}", {"name": "Pine", "parent_id": birch, "version": version})
    # Then every station is found under the new path and none under the old one
    assert reply.status == 200, reply
    assert reply.body["name"] == "Pine" and reply.body["parent_id"] == birch
    new_path = store.get("ACME", pine.group_id, consistent=True).path
    assert new_path.endswith(f"/{birch}/{pine.group_id}/")
    assert len(_stations_under("ACME", new_path)) == 152
    assert _stations_under("ACME", pine.path) == set()
    assert store.get("ACME", wing["group_id"], consistent=True).path == f"{new_path}{wing['group_id']}/"
    assert _lock() is None and len(started) == 1  # it took the lock: not one transaction


def test_small_chunks_behave_the_same(world, monkeypatch):
    from chalicelib.domain import group_moves
    from chalicelib.storage import group_moves as store
    from chalicelib.storage import groups

    monkeypatch.setattr(store, "MAX_ITEMS", 4)
    monkeypatch.setattr(group_moves, "CHUNK", 2)
    pine, maple = world.groups["ACME Pine Mall"], gid(world, "ACME Maple Mall")
    for name in ("A", "B", "C"):
        world.admin.post(GROUPS, {"name": name, "parent_id": pine.group_id})
    version = world.admin.get(f"{GROUPS}/{pine.group_id}").body["version"]
    reply = world.admin.put(f"{GROUPS}/{pine.group_id}", {"name": "ACME Pine Mall", "parent_id": maple, "version": version})
    assert reply.status == 200, reply
    new_path = groups.get("ACME", pine.group_id, consistent=True).path
    assert {g.name for g in groups.subtree("ACME", new_path)} == {"ACME Pine Mall", "A", "B", "C"}
    assert _stations_under("ACME", new_path) == {"EVI00000013", "EVI00000014"}
    assert groups.subtree("ACME", pine.path) == []
    assert _lock() is None


def _abandoned_move(world, lease_until):
    """A big move whose request died right after taking the lock (nothing rewritten yet)."""
    from chalicelib.storage import groups
    from chalicelib.storage import move_journal as store

    pine = groups.get("ACME", gid(world, "ACME Pine Mall"), consistent=True)
    maple = groups.get("ACME", gid(world, "ACME Maple Mall"), consistent=True)
    journal = store.Journal("ACME", pine.group_id, maple.group_id, pine.path, f"{maple.path}{pine.group_id}/", "dead", lease_until)
    store.start(journal, pine, pine.name, maple)
    return pine, maple


def test_structural_writes_wait_while_a_big_move_runs(world):
    from chalicelib import clock

    # Given a big move in progress (its lease still running)
    _abandoned_move(world, clock.now() + timedelta(minutes=1))
    # When an operator adds a group or a station meanwhile
    group = world.admin.post(GROUPS, {"name": "Later"})
    station = world.admin.post("/api/v1/stations", {"station_id": "LATER-1"})
    # Then they are asked to retry in a moment, and nothing was written
    for reply in (group, station):
        assert reply.status == 409 and "try again in a moment" in reply.message
    assert world.admin.get("/api/v1/stations/LATER-1").status == 404
    # But renaming a group does not depend on paths and goes through
    maple = world.admin.get(f"{GROUPS}/{gid(world, 'ACME Maple Mall')}").body
    assert world.admin.put(f"{GROUPS}/{maple['group_id']}", {"name": "Maple", "version": maple["version"]}).status == 200


def test_an_abandoned_move_is_finished_by_the_next_structural_write(world):
    from chalicelib import clock
    from chalicelib.storage import groups

    # Given a big move whose request died and whose lease expired
    pine, maple = _abandoned_move(world, clock.now() - timedelta(seconds=1))
    # When an operator adds a group
    reply = world.admin.post(GROUPS, {"name": "Later"})
    # Then the move is finished first, then the group added
    assert reply.status == 201, reply
    new_path = f"{maple.path}{pine.group_id}/"
    assert groups.get("ACME", pine.group_id, consistent=True).path == new_path
    assert groups.get("ACME", pine.group_id, consistent=True).parent_id == maple.group_id
    assert _stations_under("ACME", new_path) == {"EVI00000013", "EVI00000014"}
    assert _lock() is None
