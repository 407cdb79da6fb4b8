"""The records port: statuses, sessions and their conditional writes, the same on both stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.aggregates import Increment, Scope
from chalicelib.ports.errors import NotFound
from chalicelib.ports.paging import InvalidCursor
from chalicelib.ports.records import Advance, ConnectorStatus, NewSession, Sample, SessionClosed
from chalicelib.ports.stations import Organization, Station
from tests.contract import seeding

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
POWER = 22_000.0
BASE = 1000.0 - POWER * 1.1 / 3600 * T0.timestamp()


def new_session(transaction_id: int, station_id: str = "CP1") -> NewSession:
    return NewSession(transaction_id, "ACME", station_id, 1, "TAG", "u1", "Accepted", T0, 1000.0, POWER, BASE)


def advance(transaction_id: int, minutes: int, register: float, floor: float = BASE) -> Advance:
    return Advance(transaction_id, T0 + timedelta(minutes=minutes), register, 7000.0, 50.0, POWER, floor)


def sample(transaction_id: int | None, minutes: int, register: float) -> Sample:
    return Sample(1, transaction_id, T0 + timedelta(minutes=minutes), register, None, None, [{"value": str(register)}],
                  False, T0 + timedelta(days=30))


def test_connector_statuses_keep_the_last_report_per_connector(store):
    records = store.records
    records.put_status("ACME", "CP1", "m1", {"connector_id": 1, "status": "Charging", "error_code": "NoError"}, T0)
    records.put_status("ACME", "CP1", "m2", {"connector_id": 0, "status": "Available", "error_code": "OtherError",
                                              "info": "hot"}, T0)
    records.put_status("ACME", "CP1", "m3", {"connector_id": 1, "status": "Finishing", "error_code": "NoError"}, T0)
    assert records.connector_statuses("ACME", "CP1") == [
        ConnectorStatus(0, "Available", "OtherError", "hot", T0), ConnectorStatus(1, "Finishing", "NoError", None, T0)
    ]
    assert records.connector_statuses("ACME", "CP2") == []


def test_transaction_ids_are_new_each_time(store):
    first = store.records.next_transaction_id()
    assert store.records.next_transaction_id() == first + 1


def test_a_start_is_kept_under_the_frames_own_key(store):
    records = store.records
    assert records.find_start("ACME", "CP1", 1, T0, "TAG") is None
    key = records.create_session(new_session(7), T0)
    assert (key.transaction_id, key.id_tag_status) == (7, "Accepted")
    assert records.find_start("ACME", "CP1", 1, T0, "TAG") == key
    assert records.find_start("ACME", "CP1", 2, T0, "TAG") is None
    # An identical start that lost the race gets the first one's answer
    assert records.create_session(new_session(8), T0) == key
    assert records.session(8) is None
    session = records.session(7)
    assert (session.state, session.last_register_wh, session.last_sample_at) == ("Active", 1000.0, T0)
    assert session.belongs_to("ACME", "CP1") and not session.belongs_to("ACME", "CP2")


def test_a_reading_counts_once_and_only_when_newer_higher_possible_and_own(store):
    records = store.records
    records.create_session(new_session(7), T0)
    assert records.advance("ACME", "CP1", [sample(7, 10, 2000.0)], advance(7, 10, 2000.0)) is True
    assert records.session(7).last_register_wh == 2000.0
    assert records.advance("ACME", "CP1", [], advance(7, 10, 2000.0)) is False  # a replay
    assert records.advance("ACME", "CP1", [], advance(7, 5, 2500.0)) is False  # older
    assert records.advance("ACME", "CP1", [], advance(7, 20, 1500.0)) is False  # lower
    assert records.advance("ACME", "CP1", [], advance(7, 20, 9e9, floor=BASE + 1)) is False  # impossible
    assert records.advance("ACME", "CP1", [], replace(advance(7, 20, 2500.0), max_power_w=1.0)) is False
    assert records.advance("ACME", "CP2", [], advance(7, 20, 2500.0)) is False  # another station's session
    assert records.advance("ACME", "CP1", [], advance(99, 20, 2500.0)) is False  # unknown
    assert records.session(7).last_register_wh == 2000.0


def test_samples_that_do_not_count_are_kept_and_flag_the_session(store):
    records = store.records
    records.create_session(new_session(7), T0)
    records.record_samples("ACME", "CP1", [sample(7, 1, 5.0)], 7, frozenset({"register_decreased"}))
    records.record_samples("ACME", "CP1", [sample(None, 1, 5.0)], None, frozenset({"ignored"}))
    with pytest.raises(NotFound):
        records.record_samples("ACME", "CP1", [sample(99, 1, 5.0)], 99, frozenset({"x"}))
    records.record_samples("ACME", "CP1", [sample(99, 2, 5.0)], 99)
    assert records.session(7).flags == {"register_decreased"}
    assert records.session(99) is None


def test_the_stop_context_reads_session_station_timezone_and_uses(store):
    seeding.station(store, Station("ACME", "CP1", group_id="g1", group_path="/g1/"))
    seeding.organization(store, Organization("ACME", timezone="Europe/Berlin"))
    store.records.create_session(new_session(7), T0)
    context = store.records.stop_context(7, "ACME", "CP1")
    assert context.session.transaction_id == 7 and context.station.group_path == "/g1/"
    assert context.timezone == "Europe/Berlin"
    assert (context.uses.uses, context.uses.rev) == ({}, None)
    empty = store.records.stop_context(8, "OTHER", "CP9")
    assert (empty.session, empty.station, empty.timezone) == (None, None, "UTC")


def test_a_session_closes_once_with_its_uses_on_condition(store):
    records = store.records
    records.create_session(new_session(7), T0)
    increment = Increment("station_day", Scope.station("ACME", "CP1"), "2026-03-01", 1, 1500.0)
    closed = SessionClosed(7, T0 + timedelta(hours=1), 2500.0, 1500.0, 2500, "Local", "TAG", frozenset({"f"}),
                           (increment,), {"1": "2026-03-01T12|/g1/"}, None)
    stale = replace(closed, expected_rev=3)
    assert records.close("ACME", "CP1", stale) is False  # the uses changed since read
    assert records.session(7).state == "Active"
    assert records.close("ACME", "CP1", closed) is True
    session = records.session(7)
    assert (session.state, session.energy_wh, session.last_register_wh, session.flags) == ("Completed", 1500.0, 2500.0, {"f"})
    assert records.close("ACME", "CP1", replace(closed, uses=None)) is False  # a replay
    [day] = store.aggregates.day_totals(Scope.station("ACME", "CP1"), "2026-03-01", "2026-03-01")
    assert (day.day, day.sessions, day.energy_wh) == ("2026-03-01", 1, 1500.0)
    uses = records.stop_context(7, "ACME", "CP1").uses
    assert (uses.uses, uses.rev) == ({"1": "2026-03-01T12|/g1/"}, 1)


@pytest.mark.parametrize("times", [1, 2])
def test_an_unknown_stop_is_parked_once(store, times):
    for _ in range(times):
        store.records.park_stop("ACME", "CP1", 42, "{}", T0)


def test_the_event_feed_pages_newest_first_within_the_day(store):
    records = store.records
    for minute in range(5):
        status = "Faulted" if minute % 2 else "Available"
        fields = {"connector_id": 1, "status": status, "error_code": "NoError", "info": f"n{minute}"}
        records.put_status("ACME", "CP1", f"m{minute}", fields, T0 + timedelta(minutes=minute))
    records.put_progress("ACME", "CP1", "FirmwareStatusNotification", "Installed", "f1", T0 + timedelta(minutes=10))
    records.put_status("ACME", "CP1", "late", {"connector_id": 1, "status": "Available", "error_code": "NoError"},
                       T0 + timedelta(days=1))
    start, end = T0 - timedelta(hours=12), T0 + timedelta(hours=12)
    first = records.event_page("ACME", "CP1", start, end, None, None, 4, None)
    assert [e.info for e in first.items] == ["Installed", "n4", "n3", "n2"]
    assert first.items[0].kind == "FirmwareStatusNotification" and first.items[1].kind == "StatusNotification"
    rest = records.event_page("ACME", "CP1", start, end, None, None, 4, first.cursor)
    assert [e.info for e in rest.items] == ["n1", "n0"] and rest.cursor is None
    faulted = records.event_page("ACME", "CP1", start, end, "Faulted", None, 10, None)
    assert [e.info for e in faulted.items] == ["n3", "n1"]
    kept = records.event_page("ACME", "CP1", start, end, None, None, 10, None, keep=lambda e: e.info == "n2")
    assert [(e.info, e.connector_id, e.timestamp) for e in kept.items] == [("n2", 1, T0 + timedelta(minutes=2))]
    assert records.event_page("ACME", "CP2", start, end, None, None, 10, None).items == []


def test_an_event_cursor_of_another_station_or_malformed_is_refused(store):
    records = store.records
    for minute in range(3):
        fields = {"connector_id": 1, "status": "Available", "error_code": "NoError", "info": f"n{minute}"}
        records.put_status("ACME", "CP1", f"m{minute}", fields, T0 + timedelta(minutes=minute))
    start, end = T0 - timedelta(hours=1), T0 + timedelta(hours=1)
    cursor = records.event_page("ACME", "CP1", start, end, None, None, 1, None).cursor
    assert cursor is not None
    for foreign in (cursor + "x!", "not-a-cursor"):
        with pytest.raises(InvalidCursor):
            records.event_page("ACME", "CP1", start, end, None, None, 1, foreign)
    with pytest.raises(InvalidCursor):
        records.event_page("ACME", "CP2", start, end, None, None, 1, cursor)


def test_the_active_session_of_a_connector_is_its_latest_while_active(store):
    records = store.records
    assert records.active_session("ACME", "CP1", 1) is None
    records.create_session(new_session(7), T0)
    later = replace(new_session(8), connector_id=2, started_at=T0 + timedelta(minutes=5))
    records.create_session(later, T0 + timedelta(minutes=5))
    assert records.active_session("ACME", "CP1", 1).transaction_id == 7
    assert records.active_session("ACME", "CP1", 2).transaction_id == 8
    assert records.active_session("ACME", "CP2", 1) is None
    closed = SessionClosed(7, T0 + timedelta(hours=1), 2500.0, 1500.0, 2500, "Local", "TAG", frozenset(), (), {}, None)
    assert records.close("ACME", "CP1", closed) is True
    assert records.active_session("ACME", "CP1", 1) is None
